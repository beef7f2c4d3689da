import pytest

pytestmark = pytest.mark.django_db


def test_list_returns_the_three_procedures_with_sources(client):
    response = client.get("/api/procedures")
    assert response.status_code == 200
    data = response.json()["items"]
    assert response.json()["count"] == 3
    assert sorted(p["slug"] for p in data) == ["cryodestruction", "facial-cryomassage", "scalp-darsonvalization"]
    cryo = next(p for p in data if p["slug"] == "facial-cryomassage")
    assert cryo["schema"] == 1
    assert cryo["contraindications"][0]["source"] == "seed#contraindications"
    assert "Contraindications" in cryo["source_labels"]["seed#contraindications"]["en"]
    assert "Противопоказания" in cryo["source_labels"]["seed#contraindications"]["ru"]


def test_one_procedure_has_every_section(client):
    data = client.get("/api/procedures/facial-cryomassage").json()
    for key in ("indications", "contraindications", "preparation", "techniques", "protocol_stages",
                "timing_rules", "course", "effects", "results", "side_effects", "aftercare",
                "advantages", "disadvantages", "expert_notes", "knowledge_version"):
        assert key in data
    assert data["course"]["sessions_per_course"]["value"] == 10
    assert data["course"]["days_between_sessions"] == {"min": 2, "max": 3, "source": "seed#course-duration"}
    kinds = {c["code"]: c["kind"] for c in data["contraindications"]}
    assert kinds["rosacea"] == "caution" and kinds["epilepsy"] == "absolute"
    assert data["name"]["ru"] == "Криомассаж лица жидким азотом"


def test_unknown_slug_is_a_clear_404(client):
    response = client.get("/api/procedures/botox")
    assert response.status_code == 404
    assert "Unknown procedure 'botox'" in response.json()["detail"]
    assert "facial-cryomassage" in response.json()["detail"]


def test_openapi_document_lists_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/procedures" in schema["paths"] and "/api/procedures/{slug}" in schema["paths"]


def test_docs_page_is_served_without_a_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
