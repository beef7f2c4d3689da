// The reception calendar: plan and book a course, move and cancel sessions through the JSON API,
// then refresh the calendar grid in place (no full page reload).
(function () {
  "use strict";
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const message = document.getElementById("calendar-message");
  const say = (text) => { message.textContent = text; };

  async function api(method, url, body) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf),
                 "Accept-Language": document.documentElement.lang },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const errors = (data.errors || []).map((e) => (e.field ? e.field + ": " : "") + e.message);
      throw new Error(errors.join("; ") || data.detail || response.statusText);
    }
    return data;
  }

  async function refresh() {
    const page = await fetch(window.location.href, { credentials: "same-origin" }).then((r) => r.text());
    const fresh = new DOMParser().parseFromString(page, "text/html").getElementById("calendar");
    document.getElementById("calendar").replaceWith(fresh);
  }

  function planBody(form) {
    const data = new FormData(form);
    const days = data.getAll("weekday").map(Number);
    return {
      client: Number(data.get("client")), procedure: data.get("procedure"), start: data.get("start"),
      availability: days.map((d) => ({ weekday: d, start: data.get("from"), end: data.get("to") })),
    };
  }

  const planForm = document.getElementById("plan-form");
  const proposal = document.getElementById("proposal");
  const book = document.getElementById("book");
  if (planForm) {
    planForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      proposal.textContent = "";
      book.hidden = true;
      try {
        const plan = await api("POST", "/api/courses/plan", planBody(planForm));
        if (!plan.ok) {
          say(plan.failure.message + (plan.nearest_start ? " → " + plan.nearest_start : ""));
          return;
        }
        for (const s of plan.sessions) {
          const item = document.createElement("li");
          item.textContent = new Date(s.start).toLocaleString(document.documentElement.lang);
          proposal.appendChild(item);
        }
        book.hidden = false;
        say("");
      } catch (error) { say(error.message); }
    });
    book.addEventListener("click", async () => {
      try {
        const course = await api("POST", "/api/courses", planBody(planForm));
        say("✓ " + course.sessions.length);
        book.hidden = true;
        proposal.textContent = "";
        await refresh();
      } catch (error) { say(error.message); }
    });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button.cancel");
    if (!button) return;
    try {
      await api("PATCH", "/api/appointments/" + button.dataset.id, { status: "cancelled" });
      await refresh();
    } catch (error) { say(error.message); }
  });
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.move");
    if (!form) return;
    event.preventDefault();
    const local = new FormData(form).get("starts_at");
    try {
      await api("PATCH", "/api/appointments/" + form.dataset.id, { starts_at: new Date(local).toISOString() });
      await refresh();
    } catch (error) { say(error.message); }
  });
})();
