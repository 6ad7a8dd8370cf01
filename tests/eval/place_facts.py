"""Writes tests/eval/places.jsonl: the place questions with the values their answers must
state, read straight from the shipped dataset's CSV files (corpus/data/), not through the
package's code. Run once, check the printed values by hand, commit the file:

    python tests/eval/place_facts.py > tests/eval/places.jsonl

Values are written as answers print them: a share as a percentage with one decimal
("72.3%"), dollars whole with a "$" and thousands commas, counts whole with commas, rates
with one decimal and their base ("85.2 per 100,000"), ratios and indexes with two decimals
below 10, one below 100, whole above.
The year is the place's latest with a value; a median is over every place of the same level
with a value that year; a ranking is over the state's places in the latest year of the
variable's data set.
"""

from __future__ import annotations

import csv
import gzip
import json
import statistics
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
UNITS = {
    "share_homeless": "share", "share_debt_coll": "share", "share_employed": "share",
    "share_election_turnout": "share", "rate_crime_violent": "rate per 100,000",
    "pctl_income_50": "dollars", "count_homeless": "count", "share_in_preschool": "share",
    "share_digital_access": "share", "rate_injury_death": "rate per 100,000",
    "index_air_hazard": "index", "ratio_living_wage": "ratio", "share_hs_degree": "share",
    "share_transit_commuter": "share", "share_economic_connectedness": "share",
    "count_membership_associations_per_10k": "rate per 10,000",
    "share_medical_debt_coll": "share", "share_poverty_exposure": "share",
    "ratio_population_pc_physician": "ratio", "share_low_birth_weight": "share",
    "share_affordable_available_80_ami": "ratio", "rate_juv_arrest": "rate per 100,000",
}  # fmt: skip

# (question, kind, fips or state code, variable, order or direction, relevant ids)
SPEC: list[tuple[str, str, str, str, str, list[str]]] = [
    ("How is Ramsey County doing on housing?", "profile", "27123", "share_homeless", "",
     ["place/27123", "predictor/housing-stability", "predictor/housing-affordability"]),
    ("Which Ohio counties have the most injury deaths?", "ranking", "OH", "rate_injury_death",
     "desc", ["metric/injury-deaths", "predictor/safety-from-trauma"]),
    ("Is Philadelphia's employment rate above the national median?", "median", "4260000",
     "share_employed", "above",
     ["place/4260000", "metric/employment-to-population-ratio",
      "predictor/employment-opportunities"]),
    ("What share of Cook County residents have debt in collections?", "profile", "17031",
     "share_debt_coll", "", ["place/17031", "metric/debt-in-collections"]),
    ("Is voter turnout in Summit County, Ohio above the national median?", "median", "39153",
     "share_election_turnout", "above",
     ["place/39153", "metric/voter-turnout", "predictor/political-participation"]),
    ("What is the violent crime rate in Atlanta?", "profile", "1304000", "rate_crime_violent",
     "", ["place/1304000", "metric/crime-rates", "predictor/safety-from-crime"]),
    ("Is household income in Fresno County below the national median?", "median", "06019",
     "pctl_income_50", "below",
     ["place/06019", "metric/household-income-percentiles",
      "predictor/opportunities-for-income"]),
    ("How many homeless students are there in Mecklenburg County?", "profile", "37119",
     "count_homeless", "", ["place/37119", "metric/student-homelessness"]),
    ("What share of adults ages 25 to 54 are employed in St. Paul, Minnesota?", "profile",
     "2758000", "share_employed", "",
     ["place/2758000", "metric/employment-to-population-ratio"]),
    ("Which Texas counties have the lowest preschool enrollment?", "ranking", "TX",
     "share_in_preschool", "asc", ["metric/preschool-enrollment", "predictor/access-to-preschool"]),
    ("Where does Alameda County stand on broadband access at home?", "profile", "06001",
     "share_digital_access", "", ["place/06001", "metric/broadband-access"]),
    ("How is Boone County, Missouri doing on air quality?", "profile", "29019",
     "index_air_hazard", "", ["place/29019", "metric/air-quality-index"]),
    ("What is the living wage ratio in King County, Washington?", "profile", "53033",
     "ratio_living_wage", "", ["place/53033", "metric/living-wage-ratio"]),
    ("What share of 19- and 20-year-olds in Hennepin County have a high school degree?",
     "profile", "27053", "share_hs_degree", "", ["place/27053", "metric/high-school-completion"]),
    ("Is transit use in Seattle above the national median?", "median", "5363000",
     "share_transit_commuter", "above", ["place/5363000", "metric/transit-use"]),
    ("How is Cuyahoga County doing on economic connectedness?", "profile", "39035",
     "share_economic_connectedness", "", ["place/39035", "metric/economic-connectedness"]),
    ("Which Georgia counties have the most membership associations?", "ranking", "GA",
     "count_membership_associations_per_10k", "desc",
     ["metric/membership-associations", "predictor/social-capital"]),
    ("How does Maricopa County do on voter turnout?", "profile", "04013",
     "share_election_turnout", "", ["place/04013", "metric/voter-turnout"]),
    ("Is the share of Harris County residents with medical debt in collections below the "
     "national median?", "median", "48201", "share_medical_debt_coll", "below",
     ["place/48201", "metric/debt-in-collections", "predictor/financial-security"]),
    ("What is poverty exposure like in Baltimore?", "profile", "2404000",
     "share_poverty_exposure", "", ["place/2404000", "metric/poverty-exposure"]),
    ("How is Wayne County, Michigan doing on population per primary care physician?",
     "profile", "26163", "ratio_population_pc_physician", "",
     ["place/26163", "metric/population-per-physician"]),
    ("Which North Carolina counties have the highest share of low birth weight babies?",
     "ranking", "NC", "share_low_birth_weight", "desc",
     ["metric/low-birth-weight", "predictor/neonatal-health"]),
    ("Is the injury death rate in Mecklenburg County above the national median?", "median",
     "37119", "rate_injury_death", "above", ["place/37119", "metric/injury-deaths"]),
    ("Which Pennsylvania counties have the lowest voter turnout?", "ranking", "PA",
     "share_election_turnout", "asc", ["metric/voter-turnout", "predictor/political-participation"]),
    ("How does Jefferson Parish, Louisiana do on student homelessness?", "profile", "22051",
     "share_homeless", "", ["place/22051", "metric/student-homelessness"]),
    ("Is Detroit's share of residents employed below the national median?", "median",
     "2622000", "share_employed", "below",
     ["place/2622000", "metric/employment-to-population-ratio"]),
    ("Which Minnesota counties have the worst juvenile arrest rates?", "ranking", "MN",
     "rate_juv_arrest", "desc", ["metric/juvenile-arrests", "predictor/just-policing"]),
    ("What are the injury deaths per 100,000 people in Summit County, Ohio?", "profile",
     "39153", "rate_injury_death", "", ["place/39153", "metric/injury-deaths"]),
    ("How is Denver doing on transit use?", "profile", "0820000", "share_transit_commuter", "",
     ["place/0820000", "metric/transit-use"]),
    ("Which California counties have the highest violent crime rates?", "ranking", "CA",
     "rate_crime_violent", "desc", ["metric/crime-rates", "predictor/safety-from-crime"]),
    # City names written in lower case, as people type them (a name that is no ordinary word)
    ("how is philadelphia doing on housing", "profile", "4260000", "share_homeless", "",
     ["place/4260000", "predictor/housing-stability", "predictor/housing-affordability"]),
    ("is philadelphia's employment rate above the national median", "median", "4260000",
     "share_employed", "above",
     ["place/4260000", "metric/employment-to-population-ratio",
      "predictor/employment-opportunities"]),
    ("what is the violent crime rate in milwaukee?", "profile", "5553000", "rate_crime_violent",
     "", ["place/5553000", "metric/crime-rates", "predictor/safety-from-crime"]),
    ("how does houston do on transit use", "profile", "4835000", "share_transit_commuter", "",
     ["place/4835000", "metric/transit-use"]),
]  # fmt: skip


def fmt(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit.startswith("rate "):
        return f"{value:,.1f} {unit.removeprefix('rate ')}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def load() -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[int, dict[str, float]]]]:
    with (DATA / "places.csv").open(newline="", encoding="utf-8") as stream:
        places = {row["fips"]: row for row in csv.DictReader(stream)}
    values: dict[tuple[str, str], dict[int, dict[str, float]]] = {}
    for level in ("county", "city"):
        with gzip.open(DATA / f"{level}.csv.gz", "rt", encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                if row["subgroup_type"] != "all" or row["variable"] not in UNITS:
                    continue
                by_year = values.setdefault((row["variable"], level), {})
                by_year.setdefault(int(row["year"]), {})[row["fips"]] = float(row["value"])
    return places, values


def main() -> None:
    places, values = load()
    for number, (question, kind, where, variable, how, relevant) in enumerate(SPEC):
        unit = UNITS[variable]
        if kind == "ranking":
            years = values[(variable, "county")]
            year = max(years)
            rows = {f: v for f, v in years[year].items() if places[f]["state"] == where}
            top = sorted(rows.items(), key=lambda r: (-r[1] if how == "desc" else r[1], r[0]))[0]
            facts = [places[top[0]]["name"], fmt(top[1], unit), str(year)]
        else:
            level = "county" if len(where) == 5 else "city"
            years = values[(variable, level)]
            year = max(y for y, rows in years.items() if where in rows)
            value = years[year][where]
            facts = [fmt(value, unit), str(year)]
            if kind == "median":
                median = statistics.median(years[year].values())
                above = value > median
                yes = above if how == "above" else value < median
                facts = ["Yes" if yes else "No", *facts, fmt(median, unit)]
        print(f"{question}\n    {facts}", file=sys.stderr)
        line = {
            "question": question,
            "relevant": relevant,
            "class": "place",
            "split": "dev" if number % 2 == 0 else "test",
            "facts": facts,
        }
        print(json.dumps(line))


if __name__ == "__main__":
    main()
