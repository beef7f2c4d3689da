"""Clinic admins add their own items; they appear beside the source's, marked as the clinic's."""

import pytest
from django.core.exceptions import ValidationError

from cryoclinic.knowledge import services
from cryoclinic.knowledge.models import ClinicKnowledgeItem

pytestmark = pytest.mark.django_db


def _item(**overrides) -> ClinicKnowledgeItem:
    fields = dict(
        procedure="facial-cryomassage", section="contraindications", code="pregnancy",
        kind="caution", text_en="Pregnancy", text_ru="Беременность",
        question_en="Are you pregnant?", question_ru="Вы беременны?",
        source="Clinic protocol 2026-03, signed by the head physician",
    )
    fields.update(overrides)
    return ClinicKnowledgeItem(**fields)


def test_clinic_contraindication_is_merged_and_marked():
    item = _item()
    item.full_clean()
    item.save()
    procedure = services.get_procedure("facial-cryomassage")
    added = procedure.contraindication("pregnancy")
    assert added is not None and added.origin == "clinic" and added.kind == "caution"
    assert added.source.startswith("clinic:")
    assert procedure.contraindication("epilepsy").origin == "source"


def test_clinic_prerequisite_goes_to_preparation():
    _item(section="prerequisites", code="ecg", kind="", required="always", text_en="ECG",
          text_ru="ЭКГ", question_en="", question_ru="", procedure="cryodestruction").save()
    codes = [p.code for p in services.get_procedure("cryodestruction").preparation.prerequisites]
    assert codes[-1] == "ecg" and "hpv_test" in codes


def test_inactive_items_are_left_out():
    _item(active=False).save()
    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is None


def test_clinic_item_changes_the_knowledge_version():
    before = services.knowledge_version("facial-cryomassage")
    _item().save()
    after = services.knowledge_version("facial-cryomassage")
    assert before == "2026.11.24" and after.startswith("2026.11.24+clinic.") and after != before


def test_contraindication_without_kind_is_refused():
    with pytest.raises(ValidationError) as err:
        _item(kind="").full_clean()
    assert "kind" in err.value.message_dict


def test_code_of_a_source_item_cannot_be_reused():
    with pytest.raises(ValidationError) as err:
        _item(code="epilepsy", kind="absolute").full_clean()
    assert "code" in err.value.message_dict


def test_bad_code_is_refused():
    with pytest.raises(ValidationError) as err:
        _item(code="Not A Code").full_clean()
    assert "code" in err.value.message_dict


def test_item_needs_a_source():
    with pytest.raises(ValidationError) as err:
        _item(source="").full_clean()
    assert "source" in err.value.message_dict


def test_unknown_procedure_is_refused():
    with pytest.raises(ValidationError) as err:
        _item(procedure="botox").full_clean()
    assert "procedure" in err.value.message_dict


def test_unknown_procedure_lookup_names_the_known_ones():
    with pytest.raises(services.UnknownProcedure, match="facial-cryomassage"):
        services.get_procedure("botox")


def test_the_clinics_items_are_read_once_and_every_change_is_seen_at_once(django_assert_num_queries, other_clinic):
    from cryoclinic.clinics import state

    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is None
    with django_assert_num_queries(0):  # cached for the clinic until one of its items changes
        services.get_procedure("facial-cryomassage")
    item = _item()
    item.save()
    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is not None
    with state.activate(other_clinic):  # another clinic's cached items are its own
        assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is None
    item.text_en = "Pregnancy or breastfeeding"
    item.save()
    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy").text.en == item.text_en
    item.active = False
    item.save()
    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is None
    item.active = True
    item.save()
    item.delete()
    assert services.get_procedure("facial-cryomassage").contraindication("pregnancy") is None
