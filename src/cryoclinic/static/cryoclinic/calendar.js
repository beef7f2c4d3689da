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
    if (grid) grid.refetchEvents();
  }

  // The time grid (EventCalendar): times are the clinic's wall clock ("floating"); the offset goes back on the
  // way to the API.
  const gridEl = document.getElementById("time-grid");
  let grid = null;
  const ru = (document.documentElement.lang || "ru").startsWith("ru");
  const wall = (iso) => iso.slice(0, 19);
  const pad = (n) => String(n).padStart(2, "0");
  const isoDate = (d) => d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  const isoWall = (d) => isoDate(d) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":00";

  async function loadGrid(info) {
    const by = gridEl.dataset.by;
    const url = "/api/calendar?by=" + by + "&start=" + isoDate(info.start) + "&end=" + isoDate(info.end);
    const data = await api("GET", url);
    gridEl.dataset.offset = data.offset;
    grid.setOption("resources", data.columns.map((c) => ({ id: c.id, title: c.title })));
    grid.setOption("slotMinTime", data.opens);
    grid.setOption("slotMaxTime", data.closes);
    const editable = gridEl.dataset.editable === "1";
    const entries = data.entries.map((e) => ({
      id: String(e.id), resourceIds: [e.column], start: wall(e.start), end: wall(e.end), title: e.title,
      classNames: ["status-" + e.status, "appointment-" + e.id].concat(e.flagged ? ["flagged-course"] : [])
        .concat(e.course ? ["course-" + e.course] : []),
      editable: editable && e.status === "booked", extendedProps: { course: e.course },
    }));
    const shades = data.shades.map((s) => ({
      start: wall(s.start), end: wall(s.end), display: "background", classNames: ["closed-time"],
      resourceIds: s.column === null ? data.columns.map((c) => c.id) : [s.column], title: s.reason,
    }));
    return entries.concat(shades);
  }

  function linkCourse(info, on) {
    const course = info.event.extendedProps.course;
    if (!course) return;
    document.querySelectorAll(".course-" + course).forEach((el) => el.classList.toggle("linked", on));
  }

  async function dropped(info) {
    const body = { starts_at: isoWall(info.event.start) + gridEl.dataset.offset };
    if (info.newResource) body[gridEl.dataset.by] = Number(info.newResource.id);
    try {
      await api("PATCH", "/api/appointments/" + info.event.id, body);
      say(ru ? "Сеанс перенесён." : "Session moved.");
      await refresh();
    } catch (error) {
      info.revert();
      say((ru ? "Перенос отклонён: " : "Move refused: ") + error.message);
    }
  }

  function clickedFreeTime(info) {
    if (!planForm) return;
    planForm.elements.start.value = isoDate(info.date);
    planForm.elements.time.value = pad(info.date.getHours()) + ":" + pad(info.date.getMinutes());
    if (info.resource && gridEl.dataset.by === "practitioner") planForm.elements.practitioner.value = info.resource.id;
    const weekday = (info.date.getDay() + 6) % 7;
    planForm.querySelector('input[name="weekday"][value="' + weekday + '"]').checked = true;
    const hour = info.date.getHours();
    planForm.elements.from.value = pad(hour) + ":" + pad(info.date.getMinutes());
    planForm.elements.to.value = pad(Math.min(hour + 3, 23)) + ":" + pad(info.date.getMinutes());
    say((ru ? "Выбрано: " : "Chosen: ") + isoDate(info.date) + " " + planForm.elements.time.value);
    planForm.scrollIntoView();
    planForm.elements.client.focus();
  }

  // EventCalendar marks its grid up as a table whose rows and cells do not nest as ARIA requires (axe:
  // aria-required-children / -parent). The grid is presented as a labelled region of focusable events instead;
  // the agenda below the grid is the same appointments as a proper table.
  const TABLE_ROLES = new Set(["table", "row", "rowgroup", "columnheader", "rowheader", "cell"]);
  function plainRoles(root) {
    root.querySelectorAll("[role]").forEach((el) => { if (TABLE_ROLES.has(el.getAttribute("role"))) el.removeAttribute("role"); });
    root.querySelectorAll("[aria-colindex], [aria-rowindex]").forEach((el) => {
      el.removeAttribute("aria-colindex"); el.removeAttribute("aria-rowindex");
    });
  }
  if (gridEl) {
    gridEl.setAttribute("role", "region");
    new MutationObserver(() => plainRoles(gridEl)).observe(gridEl, { childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-colindex", "aria-rowindex"] });
  }

  if (gridEl && window.EventCalendar) {
    const week = gridEl.dataset.view === "week";
    grid = EventCalendar.create(gridEl, {
      view: week ? "resourceTimeGridWeek" : "resourceTimeGridDay",
      date: gridEl.dataset.date, firstDay: 1, slotDuration: "00:15", slotLabelInterval: "01:00",
      allDaySlot: false, nowIndicator: true, slotHeight: 28, height: "auto", locale: ru ? "ru" : "en",
      headerToolbar: { start: "prev,next today", center: "title", end: "resourceTimeGridDay,resourceTimeGridWeek" },
      buttonText: (text) => (ru ? { ...text, today: "сегодня", resourceTimeGridDay: "день", resourceTimeGridWeek: "неделя",
        prev: week ? "Предыдущая неделя" : "Предыдущий день", next: week ? "Следующая неделя" : "Следующий день" } : text),
      resources: [], editable: gridEl.dataset.editable === "1", eventDurationEditable: false,
      eventSources: [{ events: loadGrid }],
      eventDrop: dropped, dateClick: clickedFreeTime,
      eventMouseEnter: (info) => linkCourse(info, true), eventMouseLeave: (info) => linkCourse(info, false),
      eventClick: (info) => { window.location.href = gridEl.dataset.sessionUrl.replace("/0/", "/" + info.event.id + "/"); },
    });
  }

  function planBody(form) {
    const data = new FormData(form);
    const days = data.getAll("weekday").map(Number);
    const body = {
      client: Number(data.get("client")), procedure: data.get("procedure"), start: data.get("start"),
      availability: days.map((d) => ({ weekday: d, start: data.get("from"), end: data.get("to") })),
    };
    if (data.get("practitioner")) body.preferred_practitioner = Number(data.get("practitioner"));
    if (data.get("time")) body.preferred_time = data.get("time");
    return body;
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
