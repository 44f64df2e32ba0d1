"""Tables 2 and 3 of the paper (document 004) recomputed from the graph with the analysis API.

Run after `make run`:  .venv/bin/python docs/examples/paper_tables.py
Each table sets the count recomputed from Table 1's relations beside the figure the paper
prints; where they differ, the graph records a pd:Disagreement (`pdkg query 010`).
"""

from __future__ import annotations

import sys

import paradiplomacy

PAPER = "004-dehshiri-khorrami-1397"


def printed_figures(kg) -> dict[str, float]:
    """The paper's reported figures that are about exactly one entity: entity -> value."""
    claims = kg.claims(source=PAPER).dropna(subset=["value"])
    single = claims[~claims["about"].fillna("").str.contains(" ; ")]
    return dict(zip(single["about"], single["value"]))


def table_2(kg):
    """Relations per region of the partner country (Table 2), recomputed and printed."""
    printed = printed_figures(kg)
    regions = kg.by_region(kg.relations(source=PAPER))
    regions["printed"] = regions["region"].map(printed).astype("Int64")
    return regions[["region_en", "region_fa", "relations", "printed"]]


def table_3(kg):
    """Dated relations per foreign-policy period (Table 3), recomputed and printed."""
    printed = printed_figures(kg)
    periods = kg.by_period(kg.relations(source=PAPER))
    periods["printed"] = periods["period"].map(printed).astype("Int64")
    return periods[["period_en", "period_fa", "start", "end", "head_en", "relations", "printed"]]


def main(path: str | None = None) -> None:
    kg = paradiplomacy.open(path)
    print("Table 2: relations by region of the partner country\n")
    print(table_2(kg).to_string(index=False))
    print("\nTable 3: dated relations by foreign-policy period, years counted in the period they start\n")
    print(table_3(kg).to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
