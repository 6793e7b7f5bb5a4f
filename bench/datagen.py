"""The benchmark's data: P products × T technicians and L ledger rows that agree with the balances.

Every line's ledger is a prefix-closed plan: a first reception, then withdrawals, ending at the
line's planned balance. Rows are handed out round-robin over the lines (first row of every line,
then second rows, ...), so any prefix of that order is itself a consistent ledger: the benchmark
loads a small prefix first (the "10,000 rows" point), then the rest.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from inventaire.catalogue.models import code_key
from inventaire.techniciens.models import name_key

CATEGORIES = ("Cordes", "Marteaux", "Feutres", "Chevilles", "Étouffoirs", "Humidité", "Entretien")
DEFAULT_THRESHOLD = 5
LEDGER_COLUMNS = (
    "stock_line_id", "emplacement_id", "produit_id", "type", "ajustement", "quantite_avant",
    "quantite_apres", "motif", "reference", "auteur", "created_at",
)


@dataclass
class Dataset:
    """The planned database; rows are produced lazily and exactly once, in load order."""

    products: int
    technicians: int
    ledger: int
    low_share: float = 0.05
    seed: int = 20_260_101
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    def __post_init__(self):
        rng = random.Random(self.seed)
        self.product_rows = [self._product(rng, i) for i in range(1, self.products + 1)]
        self.technician_rows = [self._technician(i) for i in range(1, self.technicians + 1)]
        self.line_rows, self.deltas = [], []
        for t in self.technician_rows:
            for p in self.product_rows:
                self._plan_line(rng, t, p)
        self._spread_rows(rng)
        self.order = list(range(len(self.line_rows)))
        rng.shuffle(self.order)
        self.balance = [0] * len(self.line_rows)
        self._rows = self._round_robin()

    # -- catalogue, technicians, lines ---------------------------------------------------------
    def _product(self, rng: random.Random, i: int) -> dict:
        category = CATEGORIES[i % len(CATEGORIES)]
        return {
            "id": i, "code_produit": f"BANC-{i:05d}", "code_cle": code_key(f"BANC-{i:05d}"),
            "nom_produit": f"{category} — article {i}",
            "categorie": category, "unite": "unité",
            "prix_unitaire": Decimal(rng.randint(50, 12_000)) / 100, "prix_vente": None,
            "fournisseur_id": 1, "actif": rng.random() >= 0.02,
            "seuil_reorder": Decimal(rng.randint(2, 10)) if rng.random() < 0.5 else None,
            "created_at": self.now, "updated_at": self.now,
        }

    def _technician(self, i: int) -> dict:
        nom = "Jean-Sébastien Côté" if i == 1 else f"Technicien {i:02d}"
        return {"id": i, "nom": nom, "nom_cle": name_key(nom), "genre": "vehicule", "actif": True,
                "created_at": self.now}

    def _plan_line(self, rng: random.Random, technician: dict, product: dict) -> None:
        seuil_min = Decimal(rng.randint(1, 8)) if rng.random() < 0.1 else None
        threshold = int(seuil_min or product["seuil_reorder"] or DEFAULT_THRESHOLD)
        if rng.random() < self.low_share:
            final = 0 if rng.random() < 0.25 else rng.randint(1, threshold)
        else:
            final = rng.randint(threshold + 1, threshold + 40)
        self.line_rows.append({
            "id": len(self.line_rows) + 1, "emplacement_id": technician["id"], "produit_id": product["id"],
            "quantite": Decimal(0), "seuil_min": seuil_min,
            "niveau_par": Decimal(threshold * 3) if rng.random() < 0.3 else None, "updated_at": self.now,
        })
        self.deltas.append(final)  # replaced by the row plan in _spread_rows

    def _spread_rows(self, rng: random.Random) -> None:
        """Give each line its share of the L rows: one reception, then withdrawals of 1 to 3."""
        lines = len(self.line_rows)
        base, extra = divmod(self.ledger, lines)
        bonus = set(rng.sample(range(lines), extra))
        for i, final in enumerate(self.deltas):
            k = base + (i in bonus)
            if k == 0:
                self.line_rows[i]["planned"] = 0  # no row: the line stays at zero
                self.deltas[i] = []
                continue
            uses = [rng.randint(1, 3) for _ in range(k - 1)]
            self.line_rows[i]["planned"] = final
            self.deltas[i] = [final + sum(uses)] + [-u for u in uses]
        self.rounds = base + (1 if extra else 0)

    # -- ledger -----------------------------------------------------------------------------------
    def _round_robin(self) -> Iterator[tuple]:
        start = self.now - dt.timedelta(days=365)
        step = dt.timedelta(days=364) / max(self.rounds, 1)
        for r in range(self.rounds):
            at = start + step * r
            for n, i in enumerate(self.order):
                plan = self.deltas[i]
                if r >= len(plan):
                    continue
                delta, before = plan[r], self.balance[i]
                self.balance[i] = before + delta
                line = self.line_rows[i]
                kind = "reception" if delta > 0 else ("utilisation" if delta < 0 else "comptage")
                yield (
                    line["id"], line["emplacement_id"], line["produit_id"], kind, delta, before,
                    before + delta, "Chargement du banc d'essai", None, "banc",
                    at + dt.timedelta(seconds=n % 86_400),
                )

    def take(self, count: int) -> Iterator[tuple]:
        """The next `count` ledger rows (columns as LEDGER_COLUMNS)."""
        for _ in range(count):
            row = next(self._rows, None)
            if row is None:
                return
            yield row

    def active_targets(self) -> list[tuple[str, str]]:
        """(technician name, product code) of every line an adjustment may target."""
        names = {t["id"]: t["nom"] for t in self.technician_rows}
        codes = {p["id"]: p["code_produit"] for p in self.product_rows if p["actif"]}
        return [(names[line["emplacement_id"]], codes[line["produit_id"]])
                for line in self.line_rows if line["produit_id"] in codes]
