"""Cross-outlet entity linking on real French text (fixtures in tests/fixtures/entities/ and examples/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES, analyse_texts

from recoupe.clean import clean
from recoupe.config import Config
from recoupe.entities import link_entities, name_key, resolve_role
from recoupe.read import read_inputs
from recoupe.analyse import analyse

FIX = FIXTURES / "entities"


def _fixture(*names: str) -> dict[str, str]:
    return {n: (FIX / f"{n}.txt").read_text(encoding="utf-8") for n in names}


@pytest.fixture(scope="module")
def story(nlp):
    arts = analyse_texts(_fixture("kims-a", "kims-b", "le-goff", "le-goff-2"), outlets={"kims-a": "Le Courrier", "kims-b": "RFI"})
    return arts, link_entities(arts, Config())


def _entity_of(arts, index, article: str, text: str, nth: int = 0):
    a = next(a for a in arts if a.id == article)
    hits = [m for m in a.mentions if m.text == text]
    assert len(hits) > nth, f"{text!r} not found as mention #{nth} in {article}: {[m.text for m in a.mentions]}"
    return index.entity_of(article, hits[nth].index)


def test_name_key_folds_case_accents_hyphens_and_honorifics():
    assert name_key("Kim Jong-un") == name_key("KIM JONG UN") == name_key("Kim Jong Un") == name_key("M. Kim Jong-un")
    assert name_key("Anne-Sophie Kerloc’h") == name_key("Anne-Sophie Kerloc'h")
    assert name_key("Séoul") == name_key("SEOUL")
    assert name_key("Kim Yo-jong") != name_key("Kim Jong-un")


def test_variants_of_one_person_are_one_entity(story):
    arts, index = story
    e = _entity_of(arts, index, "kims-a", "Kim Jong-un")
    assert e is not None and e.type == "PER"
    for article, text in [("kims-b", "KIM JONG-UN"), ("kims-b", "Kim Jong Un"), ("kims-a", "M. Kim")]:
        assert _entity_of(arts, index, article, text).id == e.id, text
    assert e.name in ("Kim Jong-un", "Kim Jong Un")
    assert not e.name.isupper()


def test_two_kims_stay_apart(story):
    arts, index = story
    jong_un = _entity_of(arts, index, "kims-a", "Kim Jong-un")
    yo_jong = _entity_of(arts, index, "kims-a", "Kim Yo-jong")
    assert jong_un.id != yo_jong.id
    assert _entity_of(arts, index, "kims-b", "Mme Kim Yo Jong").id == yo_jong.id
    # "M." is a man: never the sister, though she is the closest full name before it
    assert _entity_of(arts, index, "kims-a", "M. Kim").id == jong_un.id
    # a bare "Kim" goes to the closest referent before it ("M. Kim" -> Kim Jong-un)
    assert _entity_of(arts, index, "kims-a", "Kim").id == jong_un.id


def test_two_le_goffs_stay_apart_and_short_forms_go_to_the_closest(story):
    arts, index = story
    mayor = _entity_of(arts, index, "le-goff", "Jean-Marc Le Goff")
    director = _entity_of(arts, index, "le-goff", "Pierre Le Goff")
    assert mayor.id != director.id
    assert _entity_of(arts, index, "le-goff", "M. Le Goff", 0).id == mayor.id
    assert _entity_of(arts, index, "le-goff", "M. Le Goff", 1).id == director.id
    # another article naming only the mayor
    assert _entity_of(arts, index, "le-goff-2", "Jean-Marc Le Goff").id == mayor.id
    assert _entity_of(arts, index, "le-goff-2", "M. Le Goff").id == mayor.id


def test_spelling_variants_of_a_place_merge(story):
    arts, index = story
    site = _entity_of(arts, index, "kims-b", "cosmodrome de Vostochny")
    assert _entity_of(arts, index, "kims-b", "Vostotchny").id == site.id


def test_a_city_is_not_the_event_named_after_it(analysed):
    """"Pékin a encore averti" was spoken by "jeux Olympiques de Pékin" (RPM2 T04_C2): a bare name at the tail
    of a descriptive name is that place only when the name is no event's."""
    from recoupe.entities import link_entities

    arts = analysed({
        "a": "Le dalaï-lama s'était tenu à l'écart pendant les jeux Olympiques de Pékin, cet été.",
        "b": "Alors que Pékin a encore averti jeudi que cette entrevue pourrait affecter les relations commerciales, le "
             "leader tibétain a répondu.",
    })
    index = link_entities(arts)
    games = _entity_of(arts, index, "a", "jeux Olympiques de Pékin")
    assert _entity_of(arts, index, "b", "Pékin").id != games.id


def test_roles_are_recorded_and_resolvable(story):
    arts, index = story
    poutine = _entity_of(arts, index, "kims-a", "Vladimir Poutine")
    peskov = _entity_of(arts, index, "kims-a", "Dmitri Peskov")
    assert any("président russe" in r for r in poutine.roles)
    assert any("porte-parole du Kremlin" in r for r in peskov.roles)
    assert resolve_role(index, "le porte-parole du Kremlin").id == peskov.id
    assert resolve_role(index, "Le président russe").id == poutine.id
    mayor = _entity_of(arts, index, "le-goff", "Jean-Marc Le Goff")
    assert resolve_role(index, "le maire de la commune").id == mayor.id
    assert resolve_role(index, "le jardinier") is None


def test_counts_per_outlet_and_spans_point_into_the_original(story):
    arts, index = story
    e = _entity_of(arts, index, "kims-a", "Kim Jong-un")
    assert set(e.outlets) == {"Le Courrier", "RFI"}
    assert sum(e.outlets.values()) == len(e.mentions)
    texts = {a.id: a.article.doc.text for a in arts}
    for ent in index.entities:
        for s in ent.mentions:
            assert texts[s.article][s.start : s.end] == s.text
    # every mention is linked
    assert len(index.by_mention) == sum(len(a.mentions) for a in arts)


def test_empty_and_odd_input_does_not_crash(nlp):
    assert link_entities([], Config()).entities == []
    arts = analyse_texts({"odd": "« M. » a dit Mme. Le 31 février, M. X-- et  -Kim ' Jong ont parlé à  l'ONU ... (("})
    link_entities(arts, Config())


def _example_dirs():
    return sorted(p for p in EXAMPLES.glob("*") if (p / "answers.yaml").exists())


@pytest.mark.parametrize("folder", _example_dirs(), ids=lambda p: p.name)
def test_examples_answer_key(folder: Path, nlp):
    answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8"))
    assert answers.get("entities"), f"{folder.name}: answers.yaml lists no entities"
    config = Config()
    docs, _ = read_inputs([folder], config)
    arts, _ = analyse([clean(d, config) for d in docs], config)
    index = link_entities(arts, config)

    def entities_named(variant: str) -> set[str]:
        key = name_key(variant)
        return {
            index.by_mention[(a.id, m.index)]
            for a in arts
            for m in a.mentions
            if name_key(m.text) == key and (a.id, m.index) in index.by_mention
        }

    canon: dict[str, set[str]] = {}
    checked = 0
    for item in answers["entities"]:
        ids = entities_named(item["name"])
        for v in item.get("variants", []):
            ids |= entities_named(v)  # variants that are mere descriptions ("sa sœur") are no NER mention: skipped
        if not ids:
            continue
        # every named variant found as a mention links to one entity
        assert len(ids) == 1, f"{item['name']}: variants split over {[index.get(i).aliases for i in ids]}"
        canon[item["name"]] = ids
        checked += 1
    assert checked >= len(answers["entities"]) // 2
    for item in answers["entities"]:
        other = item.get("distinct_from")
        if other and item["name"] in canon and other in canon:
            assert canon[item["name"]] != canon[other], f"{item['name']} merged with {other}"


def test_two_wordings_of_one_role_resolve_to_one_person(analysed):
    from recoupe.entities import link_entities, resolve_role

    arts = analysed({
        "a": "Le dirigeant nord-coréen Kim Jong-un est arrivé mardi à Vladivostok à bord de son train blindé.",
        "b": "Le président russe Vladimir Poutine a accueilli son invité devant le cosmodrome.",
    })
    index = link_entities(arts)
    kim = resolve_role(index, "le numéro un de la Corée du Nord")
    assert kim is not None and "Kim" in kim.name
    assert resolve_role(index, "le numéro un de la Chine") is None


def test_an_acronym_joins_the_name_written_in_sentence_case():
    arts = analyse_texts({"a": "L'Union cycliste internationale a suspendu le coureur. Selon l'UCI, le contrôle date de mars. "
                               "Selon l'Agence nationale de la sécurité des systèmes d'information, la faille était connue. "
                               "L'Anssi recommande une mise à jour."})
    idx = link_entities(arts)
    by_text = {m.text: idx.entity_of(arts[0].id, m.index) for m in arts[0].mentions}
    assert by_text["UCI"] is by_text["Union cycliste internationale"]
    assert by_text["Anssi"] is by_text["Agence nationale de la sécurité des systèmes d'information"]
