"""The screening engine's rules, each from the knowledge base, and its properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryoclinic.knowledge.loader import knowledge_base
from cryoclinic.screening.engine import SEVERITY, UnknownAnswer, add_months, screen

TODAY = dt.date(2026, 11, 24)
MASSAGE = knowledge_base().procedures["facial-cryomassage"]
CRYODESTRUCTION = knowledge_base().procedures["cryodestruction"]
ALL_PREREQUISITES = [p.code for p in CRYODESTRUCTION.preparation.prerequisites]


def no_conditions(procedure=MASSAGE) -> dict[str, bool]:
    return {c.code: False for c in procedure.contraindications}


def codes_of_kind(procedure, kind: str) -> list[str]:
    return [c.code for c in procedure.contraindications if c.kind == kind]


def test_no_condition_is_eligible():
    decision = screen(MASSAGE, no_conditions(), today=TODAY)
    assert (decision.decision, decision.reasons, decision.next_eligible_date) == ("eligible", (), None)


@pytest.mark.parametrize("code", codes_of_kind(MASSAGE, "absolute"))
def test_absolute_contraindication_is_contraindicated_with_its_source(code):
    decision = screen(MASSAGE, no_conditions() | {code: True}, today=TODAY)
    assert decision.decision == "contraindicated"
    [reason] = decision.reasons
    assert (reason.code, reason.source) == (code, MASSAGE.contraindication(code).source)


@pytest.mark.parametrize("code", ["herpes_exacerbation", "facial_skin_damage", "recent_peeling"])
def test_temporary_contraindication_postpones_without_inventing_a_date(code):
    decision = screen(MASSAGE, no_conditions() | {code: True}, today=TODAY)
    assert decision.decision == "postpone"
    assert decision.next_eligible_date is None
    assert [r.code for r in decision.reasons] == [code]


def test_rosacea_is_caution_with_the_note_and_the_referral():
    decision = screen(MASSAGE, no_conditions() | {"rosacea": True}, today=TODAY)
    rosacea = MASSAGE.contraindication("rosacea")
    assert decision.decision == "caution"
    [reason] = decision.reasons
    assert rosacea.note.en in reason.text.en and rosacea.referral.en in reason.text.en
    assert rosacea.referral.ru in reason.text.ru


def test_unanswered_question_postpones_and_names_the_question():
    answers = no_conditions()
    del answers["epilepsy"]
    decision = screen(MASSAGE, answers, today=TODAY)
    assert decision.decision == "postpone"
    assert [r.code for r in decision.reasons] == ["unanswered:epilepsy"]


def test_unknown_answer_code_is_refused_by_name():
    with pytest.raises(UnknownAnswer, match="'sunburn'"):
        screen(MASSAGE, no_conditions() | {"sunburn": True}, today=TODAY)


def test_repeat_course_sooner_than_six_months_is_postponed_with_the_date():
    decision = screen(MASSAGE, no_conditions(), today=TODAY, last_course_end=dt.date(2026, 8, 31))
    assert decision.decision == "postpone"
    assert decision.next_eligible_date == dt.date(2027, 2, 28)
    assert decision.reasons[0].source == MASSAGE.course.repeat_course_min_months.source


def test_repeat_course_on_the_day_six_months_later_is_eligible():
    decision = screen(MASSAGE, no_conditions(), today=dt.date(2027, 2, 28), last_course_end=dt.date(2026, 8, 31))
    assert decision.decision == "eligible"


def test_repeat_course_and_a_temporary_condition_give_no_date():
    answers = no_conditions() | {"herpes_exacerbation": True}
    decision = screen(MASSAGE, answers, today=TODAY, last_course_end=dt.date(2026, 10, 1))
    assert (decision.decision, decision.next_eligible_date) == ("postpone", None)


def test_cryodestruction_without_prerequisites_lists_every_missing_one():
    decision = screen(CRYODESTRUCTION, no_conditions(CRYODESTRUCTION), today=TODAY)
    always = [p.code for p in CRYODESTRUCTION.preparation.prerequisites if p.required == "always"]
    assert decision.decision == "postpone"
    assert list(decision.missing_prerequisites) == always
    assert "skin_ultrasound" in always and "dermatoscopy" not in always


def test_cryodestruction_with_every_prerequisite_recorded_is_eligible():
    answers = no_conditions(CRYODESTRUCTION)
    decision = screen(CRYODESTRUCTION, answers, today=TODAY, prerequisites_done=ALL_PREREQUISITES)
    assert (decision.decision, decision.missing_prerequisites) == ("eligible", ())


def test_earlier_adverse_event_asks_for_caution():
    decision = screen(MASSAGE, no_conditions(), today=TODAY, adverse_event_codes=["cold_allergy"])
    assert decision.decision == "caution"
    assert decision.reasons[0].code == "adverse_event:cold_allergy"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 1, 31), 6, dt.date(2026, 7, 31)),
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
    (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
])
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


answers_strategy = st.fixed_dictionaries({}, optional={c.code: st.booleans() for c in MASSAGE.contraindications})


@given(answers=answers_strategy, code=st.sampled_from(codes_of_kind(MASSAGE, "absolute")))
def test_any_absolute_contraindication_is_never_eligible(answers, code):
    assert screen(MASSAGE, answers | {code: True}, today=TODAY).decision == "contraindicated"


@given(answers=answers_strategy, code=st.sampled_from([c.code for c in MASSAGE.contraindications]))
def test_adding_a_condition_never_makes_the_decision_more_permissive(answers, code):
    before = screen(MASSAGE, answers | {code: False}, today=TODAY).decision
    after = screen(MASSAGE, answers | {code: True}, today=TODAY).decision
    assert SEVERITY[after] >= SEVERITY[before]


@given(answers=answers_strategy, seed=st.randoms())
def test_the_decision_does_not_depend_on_the_order_of_answers(answers, seed):
    items = list(answers.items())
    seed.shuffle(items)
    assert screen(MASSAGE, dict(items), today=TODAY) == screen(MASSAGE, answers, today=TODAY)
