"""The knowledge base holds every item of the source, by content, each with a seed section."""

import pytest

from cryoclinic.knowledge.loader import knowledge_base


def _p(slug):
    return knowledge_base().procedures[slug]


def _texts(items):
    return [item.text.en.lower() for item in items]


def _has(items, *fragments):
    texts = _texts(items)
    return all(any(fragment.lower() in text for text in texts) for fragment in fragments)


def test_three_procedures_with_the_agreed_slugs():
    assert set(knowledge_base().procedures) == {
        "facial-cryomassage", "cryodestruction", "scalp-darsonvalization",
    }


def test_cryomassage_has_the_ten_indications_of_the_source():
    items = _p("facial-cryomassage").indications
    assert len(items) == 10
    assert _has(
        items, "loss of elasticity", "dull, unhealthy complexion", "initial age-related",
        "blackheads", "acne", "post-acne", "sebaceous plugs", "scars", "demodex", "rosacea",
        "seborrheic keratosis", "pigmentation", "swelling", "oiliness",
        "manual or mechanical cleaning", "varicose veins", "spider veins", "warts",
    )
    assert {i.source for i in items} == {"seed#indications"}


def test_darsonvalization_has_the_three_indications():
    items = _p("scalp-darsonvalization").indications
    assert len(items) == 3
    assert _has(items, "styling products", "hair dyes", "hair dryer", "fungi", "seborrhea",
                "hair loss", "stress", "hormonal", "endocrine")


@pytest.mark.parametrize(
    "code,kind",
    [
        ("herpes_exacerbation", "temporary"), ("epilepsy", "absolute"),
        ("cardiovascular_disease", "absolute"), ("tuberculosis_open", "absolute"),
        ("facial_skin_damage", "temporary"), ("cold_intolerance", "absolute"),
        ("rosacea", "caution"), ("recent_peeling", "temporary"),
    ],
)
def test_cryomassage_contraindication_codes_and_kinds(code, kind):
    item = _p("facial-cryomassage").contraindication(code)
    assert item is not None and item.kind == kind
    assert item.question.en and item.question.ru


def test_contraindication_texts_match_the_source():
    items = _p("facial-cryomassage").contraindications
    assert _has(items, "herpes", "epilepsy", "heart and vascular", "tuberculosis", "wounds",
                "abrasions", "burns", "intolerance to cold", "allergy to cold")


def test_rosacea_carries_the_vessel_note_and_the_referral():
    rosacea = _p("facial-cryomassage").contraindication("rosacea")
    assert "does not remove already dilated" in rosacea.note.en
    assert "electrocoagulation" in rosacea.referral.en and "ELOS" in rosacea.referral.en
    assert rosacea.source == "seed#rosacea"


def test_preparation_before_the_day():
    items = _p("facial-cryomassage").preparation.before_the_day
    assert _has(items, "no peelings, including superficial", "no decorative cosmetics")


def test_neoplasm_removal_prerequisites():
    prereqs = {p.code: p for p in _p("cryodestruction").preparation.prerequisites}
    always = {c for c, p in prereqs.items() if p.required == "always"}
    assert always == {
        "dermatologist_consultation", "blood_urine_analysis", "blood_sugar_test", "hpv_test",
        "blood_biochemistry", "skin_ultrasound",
    }
    assert {c for c, p in prereqs.items() if p.required == "if_needed"} == {
        "dermatoscopy", "oncologist_consultation", "cosmetologist_consultation",
    }
    assert _has(prereqs.values(), "blood and urine", "blood sugar", "hpv", "biochemistry", "ultrasound of the skin")


def test_two_cryomassage_techniques():
    techniques = {t.code: t for t in _p("facial-cryomassage").techniques}
    assert set(techniques) == {"cotton_swab", "pressure_device"}
    assert techniques["cotton_swab"].anesthesia is False
    assert techniques["pressure_device"].anesthesia is True
    assert "under pressure" in techniques["pressure_device"].text.en


def test_three_protocol_stages_in_order():
    stages = [s.code for s in _p("facial-cryomassage").protocol_stages]
    assert stages == ["makeup_removal", "coolant_along_massage_lines", "cream_or_mask"]
    assert _has(_p("facial-cryomassage").protocol_stages, "massage lines", "−196 °c")


def test_timing_rule_too_fast_and_delay():
    assert _has(_p("facial-cryomassage").timing_rules, "too quickly has no effect", "frostbite")


def test_course_rules_of_the_source():
    course = _p("facial-cryomassage").course
    assert (course.session_duration_min.min, course.session_duration_min.max) == (10, 20)
    assert course.sessions_per_course.value == 10
    assert (course.days_between_sessions.min, course.days_between_sessions.max) == (2, 3)
    assert course.repeat_course_min_months.value == 6
    assert course.result_lasts_months.value == 1 and course.result_lasts_months.approximate
    assert course.recovery_days.value == 1
    darsonval = _p("scalp-darsonvalization").course
    assert (darsonval.session_duration_min.min, darsonval.session_duration_min.max) == (5, 15)


def test_expected_effects_and_results():
    p = _p("facial-cryomassage")
    assert _has(p.effects, "blood circulation", "swelling decreases", "pores narrow", "wrinkles",
                "pigment spots", "elasticity", "healthy complexion", "inflammatory process stops")
    assert len(p.results) == 9
    assert _has(p.results, "dead cells", "natural blush", "sebaceous glands", "inflammatory",
                "scars", "acne", "expression wrinkles", "elastic", "pores")


def test_side_effects_and_consequences():
    assert _has(_p("facial-cryomassage").side_effects, "mild redness", "mild swelling",
                "allergy to cold", "peeling", "change in skin colour", "lips", "conjunctiva")
    assert _has(_p("cryodestruction").side_effects, "deep skin tissues", "pain", "wound")


def test_aftercare():
    assert _has(_p("facial-cryomassage").aftercare, "sunscreen", "soft foam", "hydration")
    assert _has(_p("cryodestruction").aftercare, "wound")


def test_advantages_and_disadvantages():
    p = _p("facial-cryomassage")
    assert _has(p.advantages, "up to 20 minutes", "painless", "combined", "age, skin type",
                "affordable", "complications")
    assert _has(p.disadvantages, "salon", "course of procedures", "allergy to cold", "redness")


def test_expert_notes_on_cold_stress_and_rosacea():
    notes = {n.code: n for n in _p("facial-cryomassage").expert_notes}
    assert "stress" in notes["cold_stress"].text.en and notes["cold_stress"].source == "seed#expert-cold-stress"
    assert "ELOS" in notes["rosacea_vessels"].text.en


def test_every_item_has_a_known_source_and_both_languages():
    kb = knowledge_base()
    for procedure in kb.procedures.values():
        for section in ("indications", "contraindications", "techniques", "protocol_stages",
                        "effects", "results", "side_effects", "aftercare", "advantages",
                        "disadvantages", "expert_notes"):
            for item in getattr(procedure, section):
                assert kb.sources.check(item.source) is None, (procedure.slug, section, item.code)
                texts = item.name if hasattr(item, "name") else item.text
                assert texts.en.strip() and texts.ru.strip()
                assert any("а" <= ch <= "я" for ch in texts.ru.lower()), (procedure.slug, item.code)
