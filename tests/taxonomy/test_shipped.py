"""The shipped SemEval-2025 narrative and role packs load and cover the task's label lists."""

from __future__ import annotations

from narrascope.taxonomy import OTHER, load_roles, load_taxonomy

LANGS = ("en", "ru", "bg", "pt", "hi")

NARRATIVE_COUNT = 22  # 21 domain narratives + Other
PREFIXES = ("URW: ", "CC: ")
NOT_SCORED = {
    "CC: Climate change is beneficial: Other",
    "CC: Climate change is beneficial: Temperature increase is beneficial",
    "CC: Downplaying climate change: Sea levels are not rising",
    "CC: Green policies are geopolitical instruments: Climate-related international relations are abusive/exploitative",
}
SAMPLE_SUBS = {
    "URW: Discrediting Ukraine: Ukraine is a puppet of the West",
    "URW: Hidden plots by secret schemes of powerful groups: Other",
    "CC: Questioning the measurements and science: Greenhouse effect/carbon dioxide do not drive climate change",
    "URW: Discrediting Ukraine: Rewriting Ukraine’s history",
}
FINE_ROLES = {
    "Protagonist": {"Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"},
    "Antagonist": {
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
        "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot",
    },
    "Innocent": {"Forgotten", "Exploited", "Victim", "Scapegoat"},
}  # fmt: skip


def test_shipped_pack_has_the_22_narratives() -> None:
    tax = load_taxonomy()
    names = [n.label for n in tax.narratives]
    assert len(names) == NARRATIVE_COUNT == len(set(names))
    assert OTHER in names
    assert all(n == OTHER or n.startswith(PREFIXES) for n in names)


def test_shipped_pack_is_cached() -> None:
    assert load_taxonomy() is load_taxonomy(None)


def test_every_subnarrative_has_a_parent_narrative_and_prefix() -> None:
    tax = load_taxonomy()
    narratives = {n.label for n in tax.narratives}
    for sub in tax.subnarratives:
        assert tax.parent[sub.label] in narratives
        assert sub.label.startswith(tax.parent[sub.label] + ": ")
        assert sub.domain == tax.domain_of[tax.parent[sub.label]]


def test_every_domain_narrative_has_an_other_child() -> None:
    tax = load_taxonomy()
    for narrative in tax.narratives:
        if narrative.label != OTHER:
            assert f"{narrative.label}: {OTHER}" in tax.children(narrative.label)


def test_known_labels_and_scorer_exclusions() -> None:
    tax = load_taxonomy()
    for name in SAMPLE_SUBS | NOT_SCORED:
        assert name in tax
    assert {x.label for x in tax.labels() if not x.scored} == NOT_SCORED
    assert not NOT_SCORED & set(tax.scored_labels())


def test_every_label_has_a_definition_cues_and_examples() -> None:
    tax = load_taxonomy()
    for item in tax.labels():
        assert len(item.definition.split()) >= 8, item.label
        if item.is_other:
            continue
        want_examples = 2 if item.level == "narrative" else 3
        for lang in LANGS:
            assert 8 <= len(item.cues.get(lang, [])) <= 20, (item.label, lang)
            assert len(item.examples.get(lang, [])) >= want_examples, (item.label, lang)


def test_topic_cues_per_domain_and_language() -> None:
    tax = load_taxonomy()
    assert set(tax.topic_cues) == {"URW", "CC"} == set(tax.domains)
    for per_lang in tax.topic_cues.values():
        assert all(per_lang.get(lang) for lang in LANGS)


def test_shipped_roles_cover_the_role_list() -> None:
    roles = load_roles()
    assert [r.name for r in roles.main_roles] == list(FINE_ROLES)
    for main, fine in FINE_ROLES.items():
        assert set(roles.fine_of(main)) == fine
    assert len(roles.fine_roles) == 22
    assert load_roles() is load_roles()


def test_every_role_has_definition_cues_and_placeholder_examples() -> None:
    roles = load_roles()
    for role in [*roles.main_roles, *roles.fine_roles]:
        assert len(role.definition.split()) >= 8, role.name
    for role in roles.fine_roles:
        for lang in LANGS:
            assert 8 <= len(role.cues.get(lang, [])) <= 15, (role.name, lang)
            examples = role.examples.get(lang, [])
            assert len(examples) >= 3, (role.name, lang)
            assert all(roles.placeholder in ex for ex in examples), (role.name, lang)
