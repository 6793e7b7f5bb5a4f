"""The search rule people rely on: accents, case and word order do not matter."""

from inventaire.catalogue.search import fold, matches


def test_fold_drops_accents_and_case():
    assert fold("Tête d'Étouffoir") == "tete d'etouffoir"


def test_words_match_in_any_order():
    assert matches("etouffoir", "ETOUF-TETE", "Tête d'étouffoir complète")
    assert matches("cheville 7,3", "CHEV-73", "Cheville d'accord 7,3 mm")
    assert matches("7,3 CHEVILLE", "CHEV-73", "Cheville d'accord 7,3 mm")
    assert not matches("cheville 7,0", "CHEV-73", "Cheville d'accord 7,3 mm")
