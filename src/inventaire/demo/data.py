"""Demonstration data: a Montréal piano shop's vans and parts.

Cory and PLS (humidity-control) items and their sale prices come from the company's
service list (shared/data/catalogue_ptm.csv); the rest are common piano parts.
"""

TECHNICIANS = [
    ("Allan", "allan@example.com"),
    ("Nicolas", "nicolas@example.com"),
    ("Jean-Philippe", "jean-philippe@example.com"),
    ("Margot", None),
]

# code, name, category, unit, cost, sale price, supplier, reorder threshold
PRODUCTS = [
    ("CORD-012", "Corde d'acier no 12 (0,725 mm)", "Cordes", "bobine", "18.50", "32.00", "Röslau", "2"),
    ("CORD-013", "Corde d'acier no 13 (0,750 mm)", "Cordes", "bobine", "18.50", "32.00", "Röslau", "2"),
    ("CORD-014", "Corde d'acier no 14 (0,775 mm)", "Cordes", "bobine", "18.50", "32.00", "Röslau", "2"),
    ("CORD-015", "Corde d'acier no 15 (0,800 mm)", "Cordes", "bobine", "19.75", "34.00", "Röslau", "2"),
    ("CORD-016", "Corde d'acier no 16 (0,825 mm)", "Cordes", "bobine", "19.75", "34.00", "Röslau", "2"),
    ("CORD-017", "Corde d'acier no 17 (0,850 mm)", "Cordes", "bobine", "21.00", "36.00", "Röslau", "2"),
    ("CORD-018", "Corde d'acier no 18 (0,875 mm)", "Cordes", "bobine", "21.00", "36.00", "Röslau", "2"),
    ("CORD-019", "Corde d'acier no 19 (0,900 mm)", "Cordes", "bobine", "22.25", "38.00", "Röslau", "2"),
    ("CORD-BAS-U", "Corde filée de basse universelle", "Cordes", "unité", "14.00", "28.00", "Mapes", "4"),
    ("MART-TETE-D", "Tête de marteau, piano droit (aigu)", "Marteaux", "unité", "9.80", None, "Abel", "6"),
    ("MART-TETE-Q", "Tête de marteau, piano à queue (aigu)", "Marteaux", "unité", "12.40", None, "Abel", "6"),
    ("MART-MANCHE", "Manche de marteau en érable", "Marteaux", "unité", "3.10", None, "Renner", "10"),
    ("MART-RESS", "Ressort de marteau (piano droit)", "Marteaux", "unité", "0.85", None, "Renner", "20"),
    ("FEUT-CLAV", "Rondelles de feutre de clavier (100)", "Feutres", "sachet", "7.90", None, "Pianotek", "3"),
    ("FEUT-ETOUF", "Feutre d'étouffoir en bande", "Feutres", "m", "24.00", None, "Pianotek", "0.5"),
    ("FEUT-SOURD", "Feutre de sourdine (piano droit)", "Feutres", "m", "16.50", "150.00", "Pianotek", "0.5"),
    ("FEUT-BAND", "Bande de feutre de lisière", "Feutres", "m", "11.00", None, "Pianotek", "1"),
    ("DRAP-GARN", "Drap de garniture (bushing cloth)", "Feutres", "m", "38.00", None, "Pianotek", "0.5"),
    ("DRAP-MORT", "Garnitures de mortaises pré-coupées (100)", "Feutres", "sachet", "12.60", None, "Pianotek", "2"),
    ("CHEV-7-0", "Cheville d'accord 7,0 mm (2/0)", "Chevilles", "unité", "0.95", None, "Klinke", "24"),
    ("CHEV-7-1", "Cheville d'accord 7,1 mm (3/0)", "Chevilles", "unité", "0.95", None, "Klinke", "24"),
    ("CHEV-7-3", "Cheville d'accord 7,3 mm (5/0)", "Chevilles", "unité", "1.05", None, "Klinke", "12"),
    ("POINTE-CHEV", "Pointes de chevalet (100)", "Chevilles", "sachet", "6.40", None, "Klinke", "1"),
    ("ETOUF-TETE", "Tête d'étouffoir complète (piano droit)", "Étouffoirs", "unité", "5.60", None, "Renner", "8"),
    ("ETOUF-RESS", "Ressort d'étouffoir", "Étouffoirs", "unité", "0.70", None, "Renner", "12"),
    ("ETOUF-GUIDE", "Garniture du guide des étouffoirs", "Étouffoirs", "jeu", "22.00", "267.00", "Renner", "1"),
    ("PLS-BUVARDS", "Buvards PLS (jeu de 5)", "Contrôle de l'humidité", "jeu", "11.00", "25.00", "Dampp-Chaser", "4"),
    ("PLS-GAINE", "Gaine de barre chauffante PLS", "Contrôle de l'humidité", "unité", "8.50", "20.00", "Dampp-Chaser", "3"),
    ("PLS-DOUBLURE", "Doublure de bac PLS", "Contrôle de l'humidité", "unité", "0.90", "2.00", "Dampp-Chaser", "6"),
    ("PLS-BARRE-38", "Barre chauffante 38 W", "Contrôle de l'humidité", "unité", "52.00", "96.00", "Dampp-Chaser", "1"),
    ("PLS-TRAIT-227", "Traitement de l'eau (PLS) : 227 ml", "Contrôle de l'humidité", "flacon", "7.50", "15.00",
     "Dampp-Chaser", "3"),
    ("PLS-TRAIT-455", "Traitement de l'eau (PLS) : 455 ml", "Contrôle de l'humidité", "flacon", "12.00", "25.00",
     "Dampp-Chaser", "2"),
    ("PLS-SYS-DROIT", "Système PLS pour piano droit (avec buvards et gaine)", "Contrôle de l'humidité", "unité",
     "310.00", "975.00", "Dampp-Chaser", "1"),
    ("PLS-BIDON", "Bidon et tube PLS", "Contrôle de l'humidité", "unité", "24.00", "55.00", "Dampp-Chaser", "1"),
    ("PROD-4", "Cory kit lustré", "Nettoyage", "unité", "11.00", "20.95", "Cory", "2"),
    ("CORY-KIT-M", "Cory kit mat", "Nettoyage", "unité", "13.50", "25.42", "Cory", "2"),
    ("CORY-POLI", "Poli à piano Cory", "Nettoyage", "flacon", "14.00", "26.00", "Cory", "2"),
    ("PROD-7", "Cory Keybrite 4oz", "Nettoyage", "flacon", "6.80", "13.00", "Cory", "3"),
    ("CORY-KB-8", "Key-Brite par Cory 8 oz", "Nettoyage", "flacon", "11.90", "23.00", "Cory", "2"),
    ("CORY-ENS", "Ensemble d'entretien Cory", "Nettoyage", "unité", "19.00", "35.00", "Cory", "1"),
    ("GRAPH-PROT", "Graphite en poudre (protek)", "Divers", "tube", "9.50", None, "Protek", "1"),
    ("VIS-CAPST", "Vis de capstan (100)", "Divers", "sachet", "8.20", None, "Renner", "1"),
]

# The Gazelle users of the technicians (allUsers): Allan Sutton, Nicolas Lessard, Jean-Philippe Reny, Margot Charignon.
# The suppliers' details the office fills in on the « Fournisseurs » page (addresses are examples).
SUPPLIERS: list[dict[str, str | int | None]] = [
    {"nom": "Dampp-Chaser", "courriel": "commandes@dampp-chaser.example", "telephone": "828 692-8271",
     "delai_jours": 10, "minimum_commande": "150.00", "notes": "Pièces PLS : buvards, gaines, traitement de l'eau"},
    {"nom": "Röslau", "courriel": None, "telephone": None, "delai_jours": 21,  # ordered by hand (the PDF)
     "minimum_commande": None, "notes": "Cordes d'acier (Allemagne)"},
    {"nom": "Pianotek", "courriel": "ventes@pianotek.example", "telephone": "800 347-3854", "delai_jours": 5,
     "minimum_commande": None, "notes": None},
]

GAZELLE_IDS = {
    "Allan": "usr_aS8wQ2nLk4Tz",
    "Nicolas": "usr_nL3pR7vXc1Md",
    "Jean-Philippe": "usr_jR5tY9bHq2Wf",
    "Margot": "usr_mC6kD1sZe8Gu",
}

# The consumption rules the office described (Gazelle MSL items): service id, service name, product, quantity.
_PLS_MAINTENANCE = ("PLS-BUVARDS", "PLS-GAINE")
RULES = [
    *(("mit_2eBOzDvunD7PHs6M", "Entretien annuel du système PLS", code, "1") for code in _PLS_MAINTENANCE),
    *(("mit_fyPj2I8R4VQtEkkm", "Accord 440Hz + nettoyage + entretien PLS", code, "1") for code in _PLS_MAINTENANCE),
    *(("mit_Xrv7bjz0lOEqOrlD", "Buvards, gaine, doublure", code, "1")
      for code in (*_PLS_MAINTENANCE, "PLS-DOUBLURE")),
    ("mit_CX6CvWXbjs08vg70", "Traitement de l'eau (PLS) : 227 ml", "PLS-TRAIT-227", "1"),
    ("mit_6ocqn0yaeqNK0Vxk", "Traitement de l'eau (PLS) : 227 ml", "PLS-TRAIT-227", "1"),
    ("mit_6ZDKykOYEcVw3N8N", "Traitement de l'eau (PLS) : 455 ml", "PLS-TRAIT-455", "1"),
    ("mit_YIVFKP1W1fc0IEkI", "Traitement de l'eau (PLS) : 455 ml", "PLS-TRAIT-455", "1"),
    ("mit_eRqZsLAzRs3ypEGC", "Ensemble d'entretien Cory", "PROD-4", "1"),
    ("mit_MnWfmDHQLItiuK8v", "Key-Brite par Cory 4 oz", "PROD-7", "1"),
    # The unit ships with its pads and wick: nothing else is taken.
    ("mit_xd1qOqOdcw6lBOKD", "Installation PLS (piano droit)", "PLS-SYS-DROIT", "1"),
]

# How each part is used, per van and working day: (uses a day, largest use in units, seasonal).
# A few fast movers, PLS parts mostly in the weeks before winter (pads and water treatment are
# changed when the heating starts), and many slow parts used a few times a year. Parts not
# listed: SLOW.
SLOW = (0.025, 1, False)
USAGE = {
    "PLS-BUVARDS": (0.30, 2, True), "PLS-DOUBLURE": (0.22, 2, True), "PLS-TRAIT-227": (0.18, 1, True),
    "PLS-TRAIT-455": (0.08, 1, True), "PLS-GAINE": (0.05, 1, True), "PLS-BIDON": (0.015, 1, True),
    "PLS-BARRE-38": (0.006, 1, True), "PLS-SYS-DROIT": (0.01, 1, True),
    "CHEV-7-0": (0.30, 6, False), "CHEV-7-1": (0.22, 6, False), "MART-RESS": (0.20, 3, False),
    "FEUT-CLAV": (0.15, 1, False), "PROD-7": (0.12, 1, False), "CORY-POLI": (0.07, 1, False),
    "ETOUF-RESS": (0.05, 3, False), "MART-MANCHE": (0.04, 4, False), "MART-TETE-D": (0.03, 4, False),
    "ETOUF-GUIDE": (0.004, 1, False), "CORD-BAS-U": (0.03, 2, False),
}
# Parts every van carries (the fast movers and the PLS season); the others are drawn.
ALWAYS = ("PLS-BUVARDS", "PLS-DOUBLURE", "PLS-TRAIT-227", "CHEV-7-0", "MART-RESS", "FEUT-CLAV", "PROD-7")
# How busy each technician is, relative to the others.
ACTIVITY = {"Allan": 1.25, "Nicolas": 1.0, "Jean-Philippe": 0.9, "Margot": 0.6}
