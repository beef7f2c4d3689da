"""A knowledge file with a mistake is refused; the error names the file, the item and the field."""

import shutil
from pathlib import Path

import pytest
import yaml

from cryoclinic.knowledge.loader import DATA_DIR, KnowledgeDataError, load_knowledge


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(data_dir: Path, name: str, change) -> None:
    path = data_dir / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_shipped_files_load():
    assert len(load_knowledge().procedures) == 3


def test_unknown_contraindication_kind_names_file_item_and_field(data_dir):
    _edit(data_dir, "facial-cryomassage.yaml", lambda d: d["contraindications"][1].update(kind="sometimes"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert err.value.file == "facial-cryomassage.yaml"
    assert "contraindications[1]" in err.value.item and "'epilepsy'" in err.value.item
    assert err.value.field == "kind"
    assert "absolute" in str(err.value)


def test_missing_russian_text_is_refused(data_dir):
    _edit(data_dir, "cryodestruction.yaml", lambda d: d["aftercare"][0]["text"].pop("ru"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert err.value.file == "cryodestruction.yaml"
    assert "'wound_care'" in err.value.item
    assert err.value.field == "text.ru"


def test_unknown_seed_section_is_refused(data_dir):
    _edit(data_dir, "facial-cryomassage.yaml", lambda d: d["indications"][0].update(source="seed#nowhere"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert "'loss_of_elasticity'" in err.value.item and err.value.field == "source"
    assert "unknown seed section" in str(err.value)


def test_item_without_source_is_refused(data_dir):
    _edit(data_dir, "scalp-darsonvalization.yaml", lambda d: d["indications"][2].pop("source"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert "'hair_loss'" in err.value.item and err.value.field == "source"


def test_duplicate_codes_are_refused(data_dir):
    _edit(data_dir, "facial-cryomassage.yaml", lambda d: d["aftercare"][1].update(code="sunscreen"))
    with pytest.raises(KnowledgeDataError, match="appears twice"):
        load_knowledge(data_dir)


def test_course_range_upside_down_is_refused(data_dir):
    _edit(data_dir, "facial-cryomassage.yaml",
          lambda d: d["course"]["days_between_sessions"].update(min=5, max=3))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert (err.value.item, err.value.field) == ("course", "days_between_sessions")
    assert "must not exceed" in str(err.value)


def test_unknown_field_is_refused(data_dir):
    _edit(data_dir, "facial-cryomassage.yaml", lambda d: d["side_effects"][0].update(severity="mild"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert "'mild_redness'" in err.value.item and err.value.field == "severity"


def test_broken_yaml_names_the_file_and_line(data_dir):
    (data_dir / "cryodestruction.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert err.value.file == "cryodestruction.yaml" and "line" in err.value.item


def test_slug_must_match_file_name(data_dir):
    _edit(data_dir, "cryodestruction.yaml", lambda d: d.update(slug="cryo"))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert err.value.field == "slug"


def test_consent_citing_an_unknown_publication_is_refused(data_dir):
    _edit(data_dir, "cryodestruction.yaml", lambda d: d["consent"].update(sources=["pub:no-such-law"]))
    with pytest.raises(KnowledgeDataError) as err:
        load_knowledge(data_dir)
    assert err.value.file == "cryodestruction.yaml"
    assert "no-such-law" in str(err.value)


def test_every_procedure_states_whether_consent_is_needed_with_a_citation():
    for procedure in load_knowledge().procedures.values():
        assert procedure.consent.required is True
        assert all(ref.startswith("pub:") for ref in procedure.consent.sources)
    assert "pub:fz-323-art20" in load_knowledge().procedures["cryodestruction"].consent.sources
