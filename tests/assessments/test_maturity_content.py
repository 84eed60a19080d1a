"""The shipped content and the validator: domains, levels, the twelve world-class behaviours,
known evidence; unknown keys, repeated ids, bad levels and thresholds refused by line."""

from __future__ import annotations

import pytest

from tests.assessments.maturity_builders import SMALL
from valuescout.assessments import maturity_content
from valuescout.assessments.maturity_content import ContentError, parse


def test_shipped_content_has_three_domains_with_every_level() -> None:
    content = maturity_content.load()
    assert content.version == maturity_content.versions()[-1] == 1
    assert [d.id for d in content.domains] == ["alignment", "capability", "enablement"]
    for domain in content.domains:
        for level in maturity_content.LEVELS:
            assert len(domain.at(level)) >= 4, (domain.id, level)
    assert (content.scale.low, content.scale.high) == (0, 4)
    assert content.scale.label(4) == "Fully and consistently"


def test_world_class_behaviours_sit_where_the_articles_put_them() -> None:
    content = maturity_content.load()
    per_domain = {d.id: sum(1 for i in d.indicators if i.world_class) for d in content.domains}
    assert per_domain == {"alignment": 3, "capability": 4, "enablement": 5}  # 12 in all
    # CSO Insights' behaviours describe Good and Great organisations, never Elite.
    assert all(i.level != "elite" for i in content.indicators.values() if i.world_class)


def test_every_evidence_name_is_one_evidence_computes() -> None:
    content = maturity_content.load()
    named = {i.evidence for i in content.indicators.values() if i.evidence}
    assert named == maturity_content.EVIDENCE_IDS


def _problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ContentError) as caught:
        parse(text, "bad.yaml")
    return caught.value.problems


def test_unknown_key_is_refused_with_its_line() -> None:
    text = SMALL.replace("      - {id: g2, level: good, text: good two}",
                         "      - {id: g2, level: good, text: good two, colour: red}")  # fmt: skip
    problems = _problems(text)
    assert problems[0][0] == 16 and "unknown key 'colour'" in problems[0][1]


def test_duplicate_indicator_id_names_both_lines() -> None:
    text = SMALL.replace("{id: g2,", "{id: g1,")
    assert _problems(text) == [(16, "indicator id 'g1' is used twice (first on line 15)")]


def test_duplicate_ids_across_domains_are_refused_too() -> None:
    text = SMALL.replace("{id: x1,", "{id: g1,")
    assert "indicator id 'g1' is used twice" in _problems(text)[0][1]


def test_bad_level_evidence_and_thresholds() -> None:
    text = (
        SMALL.replace("{id: g3, level: good", "{id: g3, level: superb")
        .replace("evidence: call_planning", "evidence: crystal_ball")
        .replace("level_share: 0.75", "level_share: 1.5")
        .replace("met_at: 3", "met_at: 9")
    )
    texts = " | ".join(p for _, p in _problems(text))
    assert "level 'superb' is not one of good, great, elite" in texts
    assert "unknown evidence 'crystal_ball'" in texts
    assert "`level_share` must be a share above 0 and at most 1" in texts
    assert "`met_at` must be above 0 and at most 4" in texts


def test_a_domain_without_a_level_is_refused() -> None:
    text = SMALL.replace("      - {id: x3, level: elite, text: x elite}\n", "")
    assert _problems(text) == [(22, "domain 'd2' has no indicator at level 'elite'")]


def test_missing_sections_and_bad_yaml() -> None:
    assert (1, "`scale` is missing") in _problems("version: 1\n")
    assert "not valid YAML" in _problems("version: [1\n")[0][1]
    with pytest.raises(ContentError, match=r"bad\.yaml: line 1"):
        parse("- a list\n", "bad.yaml")


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="no maturity content version 99"):
        maturity_content.load(99)
