"""What the importer reads: every variable of the Mobility Metrics and the upstream files that
hold it, in the layout of the Urban Institute's repository ``UI-Research/mobility-from-poverty``.

Terms used across :mod:`mobility_kg.data`:

- a *variable* is one column of the data tables (``share_employed``); it measures one
  framework metric (``metric/employment-to-population-ratio``) in one unit;
- a *level* is ``county`` (5-digit FIPS) or ``city`` (7-digit state + place FIPS);
- a *subgroup* is a ``(type, label)`` pair such as ``("gender", "Female")``; the whole
  population is ``("all", "All")``;
- an *observation* is one value of one variable for one place, year and subgroup, with its
  bounds and quality flag (1 Strong, 2 Marginal, 3 Weak, blank not computed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

REPOSITORY = "https://github.com/UI-Research/mobility-from-poverty"
ATTRIBUTION = (
    "Mobility Metrics data tables from the Urban Institute's Boosting Upward Mobility from "
    "Poverty project (https://github.com/UI-Research/mobility-from-poverty; data catalog "
    "https://datacatalog.urban.org/dataset/boosting-upward-mobility-metrics-inform-local-action)."
    " Converted without changing values, except that housing-wealth ratios stored upstream as "
    '"wealth share:household share" are divided out.'
)
ALL = ("all", "All")
QUALITY_LABELS = {1: "Strong", 2: "Marginal", 3: "Weak"}


class Level(StrEnum):
    COUNTY = "county"
    CITY = "city"

    @property
    def fips_digits(self) -> int:
        return 5 if self is Level.COUNTY else 7


class Unit(StrEnum):
    SHARE = "share"
    RATIO = "ratio"
    DOLLARS = "dollars"
    INDEX = "index"
    COUNT = "count"
    RATE_100K = "rate per 100,000"
    RATE_10K = "rate per 10,000"


@dataclass(frozen=True, slots=True)
class Variable:
    """One data column: the metric it measures, its unit, and which way is better.

    ``higher_is_better`` is None where neither direction is a gain (a population share, a
    count); such variables get percentiles but never flag a weakness.
    """

    name: str
    metric: str
    unit: Unit
    label: str
    higher_is_better: bool | None


def _v(name: str, metric: str, unit: Unit, label: str, better: bool | None) -> Variable:
    return Variable(name, f"metric/{metric}", unit, label, better)


_S, _R, _D, _I, _C = Unit.SHARE, Unit.RATIO, Unit.DOLLARS, Unit.INDEX, Unit.COUNT
VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        _v("pctl_income_20", "household-income-percentiles", _D, "Income, 20th percentile", True),
        _v("pctl_income_50", "household-income-percentiles", _D, "Income, 50th percentile", True),
        _v("pctl_income_80", "household-income-percentiles", _D, "Income, 80th percentile", True),
        _v("share_debt_coll", "debt-in-collections", _S, "Share with debt in collections", False),
        _v(
            "share_medical_debt_coll",
            "debt-in-collections",
            _S,
            "Share with medical debt in collections",
            False,
        ),
        *(
            _v(
                f"ratio_{g}_house_value_households",
                "housing-wealth-ratio",
                _R,
                f"Housing wealth share to household share, {label}",
                None,
            )
            for g, label in (
                ("black_nh", "Black, non-Hispanic"),
                ("hispanic", "Hispanic"),
                ("other_nh", "other races, non-Hispanic"),
                ("white_nh", "White, non-Hispanic"),
            )
        ),
        _v("share_employed", "employment-to-population-ratio", _S, "Employed, ages 25-54", True),
        _v("ratio_living_wage", "living-wage-ratio", _R, "Average pay to living wage", True),
        *(
            _v(
                f"share_affordable_{kind}{ami}_ami",
                "affordable-housing-ratio",
                _R,
                f"{label} units per household at {ami}% of area median income",
                True,
            )
            for kind, label in (("", "Affordable"), ("available_", "Affordable and available"))
            for ami in (30, 50, 80)
        ),
        _v("count_homeless", "student-homelessness", _C, "Homeless students", None),
        _v("share_homeless", "student-homelessness", _S, "Share of students homeless", False),
        _v(
            "share_poverty_exposure",
            "poverty-exposure",
            _S,
            "Share of poor residents in high-poverty tracts",
            False,
        ),
        *(
            _v(
                f"share_{g}_exposure",
                "neighborhood-exposure-index",
                _S,
                f"Neighbors of other groups, for {label} residents",
                None,
            )
            for g, label in (
                ("black_nh", "Black, non-Hispanic"),
                ("hispanic", "Hispanic"),
                ("other_nh", "other non-Hispanic"),
                ("white_nh", "White, non-Hispanic"),
            )
        ),
        _v("share_transit_commuter", "transit-use", _S, "Commuters using transit", True),
        _v(
            "share_transportation_cost",
            "transportation-cost",
            _S,
            "Share of income spent on transportation",
            False,
        ),
        _v("index_air_hazard", "air-quality-index", _I, "Air hazard index", False),
        _v(
            "count_membership_associations_per_10k",
            "membership-associations",
            Unit.RATE_10K,
            "Membership associations per 10,000 people",
            True,
        ),
        _v(
            "share_economic_connectedness",
            "economic-connectedness",
            _S,
            "Economic connectedness",
            True,
        ),
        _v("share_in_preschool", "preschool-enrollment", _S, "Children 3-4 in preschool", True),
        _v("rate_learning", "ela-achievement-growth", _I, "ELA learning rate, grades 3-8", True),
        *(
            _v(
                f"share_meps20_{g}",
                "high-poverty-school-share",
                _S,
                f"{label} students in high-poverty schools",
                False,
            )
            for g, label in (("black", "Black"), ("hispanic", "Hispanic"), ("white", "White"))
        ),
        _v("share_hs_degree", "high-school-completion", _S, "Ages 19-20 with a diploma", True),
        _v(
            "share_digital_access",
            "broadband-access",
            _S,
            "Households with broadband at home",
            True,
        ),
        _v(
            "ratio_population_pc_physician",
            "population-per-physician",
            _R,
            "Residents per primary care physician",
            False,
        ),
        _v("share_low_birth_weight", "low-birth-weight", _S, "Low-weight births", False),
        _v(
            "rate_injury_death",
            "injury-deaths",
            Unit.RATE_100K,
            "Deaths from injury per 100,000",
            False,
        ),
        _v(
            "share_election_turnout",
            "voter-turnout",
            _S,
            "Turnout of eligible voters",
            True,
        ),
        *(
            _v(
                f"share_desc_rep_{g}",
                "elected-official-representation",
                _S,
                f"Share of residents, {label}",
                None,
            )
            for g, label in (
                ("black_nonhispanic", "Black, non-Hispanic"),
                ("hispanic", "Hispanic"),
                ("white_nonhispanic", "White, non-Hispanic"),
                ("other", "other races and ethnicities"),
            )
        ),
        _v(
            "rate_crime_violent", "crime-rates", Unit.RATE_100K, "Violent crimes per 100,000", False
        ),
        _v(
            "rate_crime_property",
            "crime-rates",
            Unit.RATE_100K,
            "Property crimes per 100,000",
            False,
        ),
        _v(
            "rate_juv_arrest",
            "juvenile-arrests",
            Unit.RATE_100K,
            "Juvenile arrests per 100,000",
            False,
        ),
    )
}


class Subgroups(StrEnum):
    """How a file gives subgroups."""

    NONE = "none"  # every row is the whole population
    FILE = "file"  # subgroup_type/subgroup columns; rows labelled All are skipped
    FILE_WITH_ALL = "file-with-all"  # as FILE, but the All rows are the population values


@dataclass(frozen=True, slots=True)
class Source:
    """One upstream CSV: where it is, its level, and which columns become which variables.

    ``columns`` maps an upstream column to a variable name; its bounds and quality flag are the
    columns with the suffixes ``_lb``, ``_ub`` and ``_quality`` (``quality`` overrides the
    flag's column when upstream names it otherwise). ``subgroup_type`` replaces the file's
    type where upstream's name is misleading (tract race shares are ``race-share``).
    """

    path: str
    level: Level
    columns: tuple[tuple[str, str], ...]
    subgroups: Subgroups = Subgroups.NONE
    subgroup_type: str | None = None
    place_column: str | None = None
    pair_ratio: bool = False
    quality: tuple[tuple[str, str], ...] = ()

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(variable for _, variable in self.columns)

    def quality_column(self, column: str) -> str:
        return dict(self.quality).get(column, f"{column}_quality")


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


_C_, _P = Level.COUNTY, Level.CITY
_F, _FA = Subgroups.FILE, Subgroups.FILE_WITH_ALL
_FIN = "01_financial-well-being"
_HOUSE = "02_housing/data/final"
_NB = "06_neighborhoods"
_ED = "08_education/data/final"
_EMP = "09_employment/data/final"
_INCOME = _same("pctl_income_20", "pctl_income_50", "pctl_income_80")
_WEALTH = _same(
    *(f"ratio_{g}_house_value_households" for g in ("black_nh", "hispanic", "other_nh", "white_nh"))
)
_AFFORD = _same(*(f"share_affordable_{k}{a}_ami" for k in ("", "available_") for a in (30, 50, 80)))
_HOMELESS = _same("count_homeless", "share_homeless")
_EXPOSURE = _same(
    *(f"share_{g}_exposure" for g in ("black_nh", "hispanic", "other_nh", "white_nh"))
)
_TRANSPORT = _same("share_transit_commuter", "share_transportation_cost")
_DESC = _same(
    *(
        f"share_desc_rep_{g}"
        for g in ("other", "black_nonhispanic", "hispanic", "white_nonhispanic")
    )
)
_MEPS = _same("share_meps20_black", "share_meps20_hispanic", "share_meps20_white")
_CRIME = _same("rate_crime_violent", "rate_crime_property")
_LEARN = (("learning_rate", "rate_learning"),)
_LBW_OLD = (("lbw", "share_low_birth_weight"),)
_LBW = (("rate_low_birth_weight", "share_low_birth_weight"),)
_TURNOUT_OLD = (("election_turnout", "share_election_turnout"),)


def _pair(level_word: str, subgroup: str) -> str:
    return f"{_FIN}/final/households_house_value_race_ethnicity_{subgroup}_{level_word}.csv"


SOURCES: tuple[Source, ...] = (
    # Rewarding work
    Source(f"{_FIN}/final/metrics_income_county_all_longitudinal.csv", _C_, _INCOME),
    Source(f"{_FIN}/final/metrics_income_place_all_longitudinal.csv", _P, _INCOME),
    Source(f"{_FIN}/final/metrics_income_place_gender_longitudinal.csv", _P, _INCOME, _F),
    Source(f"{_FIN}/final/metrics_income_place_race-ethnicity_longitudinal.csv", _P, _INCOME, _F),
    Source(f"{_FIN}/share_debt_2018.csv", _C_, _same("share_debt_coll")),
    Source(
        f"{_FIN}/county-debt-coll-shares-2022.csv", _C_, _same("share_debt_coll"), _FA, "race-share"
    ),
    Source(
        f"{_FIN}/final/metrics_overall_debt_coll_all_county_2023.csv", _C_, _same("share_debt_coll")
    ),
    Source(
        f"{_FIN}/final/metrics_overall_debt_coll_race_ethnicity_county_2023.csv",
        _C_,
        _same("share_debt_coll"),
        _F,
        "race-share",
    ),
    Source(
        f"{_FIN}/final/metrics_medical_debt_coll_all_county_2023.csv",
        _C_,
        _same("share_medical_debt_coll"),
    ),
    Source(
        f"{_FIN}/final/metrics_medical_debt_coll_race_ethnicity_county_2023.csv",
        _C_,
        _same("share_medical_debt_coll"),
        _F,
        "race-share",
    ),
    Source(_pair("county", "all"), _C_, _WEALTH, pair_ratio=True),
    Source(_pair("city", "all"), _P, _WEALTH, pair_ratio=True),
    Source(_pair("city", "subgroup"), _P, _WEALTH, _F, pair_ratio=True),
    Source(f"{_EMP}/metrics_employment_county_all_longitudinal.csv", _C_, _same("share_employed")),
    *(
        Source(
            f"{_EMP}/metrics_employment_{lvl}_{sub}_longitudinal.csv",
            level,
            _same("share_employed"),
            _F,
        )
        for lvl, level, subs in (
            ("county", _C_, ("disability", "gender")),
            ("place", _P, ("disability", "gender", "race-ethnicity")),
        )
        for sub in subs
    ),
    Source(f"{_EMP}/metrics_employment_place_all_longitudinal.csv", _P, _same("share_employed")),
    Source(f"{_EMP}/living_wage_county_all_longitudinal.csv", _C_, _same("ratio_living_wage")),
    # Education
    Source(
        f"{_ED}/metrics_preschool_county_all_longitudinal_all.csv", _C_, _same("share_in_preschool")
    ),
    Source(
        f"{_ED}/metrics_preschool_place_all_longitudinal_all.csv", _P, _same("share_in_preschool")
    ),
    *(
        Source(
            f"{_ED}/metrics_preschool_{lvl}_{sub}_longitudinal.csv",
            level,
            _same("share_in_preschool"),
            _F,
        )
        for lvl, level, subs in (
            ("county", _C_, ("income",)),
            ("place", _P, ("income", "race-ethnicity")),
        )
        for sub in subs
    ),
    Source("08_education/data/built/SEDA_all_county_2014-2018.csv", _C_, _LEARN),
    Source("08_education/data/built/SEDA_all_city_2014-2018.csv", _P, _LEARN),
    Source("08_education/data/built/SEDA_all_subgroups_city_2014-2018.csv", _P, _LEARN, _F),
    Source(f"{_ED}/meps_county_2014-2021.csv", _C_, _MEPS),
    Source(f"{_ED}/meps_city_2014-2021.csv", _P, _MEPS),
    Source(f"{_ED}/metrics_college_county_all_longitudinal.csv", _C_, _same("share_hs_degree")),
    Source(f"{_ED}/metrics_college_place_all_longitudinal.csv", _P, _same("share_hs_degree")),
    *(
        Source(
            f"{_ED}/metrics_college_{lvl}_{sub}_longitudinal.csv",
            level,
            _same("share_hs_degree"),
            _F,
        )
        for lvl, level, subs in (
            ("county", _C_, ("disability", "gender")),
            ("place", _P, ("disability", "gender", "race-ethnicity")),
        )
        for sub in subs
    ),
    *(
        Source(
            f"{_ED}/digital_access_{lvl}_{sub}_longitudinal.csv",
            level,
            _same("share_digital_access"),
            Subgroups.NONE if sub == "all" else _F,
        )
        for lvl, level in (("county", _C_), ("place", _P))
        for sub in ("all", "income", "race_ethnicity")
    ),
    # Neighborhoods
    Source(
        f"{_HOUSE}/housing_county_2014_2015_2016_2017_2018_2019_2021_2022_2023.csv",
        _C_,
        _AFFORD,
        _FA,
    ),
    Source(
        f"{_HOUSE}/housing_place_2014_2015_2016_2017_2018_2019_2021_2022_2023.csv", _P, _AFFORD, _FA
    ),
    Source(
        f"{_HOUSE}/housing_place_2014_2015_2016_2017_2018_2019_2021_2022_2023_subgroups.csv",
        _P,
        _AFFORD,
        _F,
    ),
    *(
        Source(f"{_HOUSE}/homelessness_{years}_{lvl}.csv", level, _HOMELESS)
        for years in ("2014-2018", "2019-2022")
        for lvl, level in (("county", _C_), ("city", _P))
    ),
    Source(f"{_HOUSE}/homelessness_2019-2022_subgroups_county.csv", _C_, _HOMELESS, _F),
    Source(f"{_HOUSE}/homelessness_2019-2022_subgroups_city.csv", _P, _HOMELESS, _F),
    Source(
        f"{_NB}/poverty-exposure/final/poverty-exposure_county.csv",
        _C_,
        _same("share_poverty_exposure"),
    ),
    Source(
        f"{_NB}/poverty-exposure/final/poverty-exposure_city.csv",
        _P,
        _same("share_poverty_exposure"),
    ),
    Source(
        f"{_NB}/poverty-exposure/final/poverty-exposure_race-ethnicity_county.csv",
        _C_,
        _same("share_poverty_exposure"),
        _F,
    ),
    Source(
        f"{_NB}/poverty-exposure/final/poverty-exposure_race-ethnicity_city.csv",
        _P,
        _same("share_poverty_exposure"),
        _F,
    ),
    Source(
        f"{_NB}/race-ethnicity-exposure/final/race-ethnicity-exposure-county.csv", _C_, _EXPOSURE
    ),
    Source(f"{_NB}/race-ethnicity-exposure/final/race-ethnicity-exposure-city.csv", _P, _EXPOSURE),
    Source(f"{_NB}/Transportation/final/transportation_all_county.csv", _C_, _TRANSPORT),
    Source(f"{_NB}/Transportation/final/transportation_all_city.csv", _P, _TRANSPORT),
    Source(
        f"{_NB}/Transportation/final/transportation_subgroup_county.csv",
        _C_,
        _TRANSPORT,
        _F,
        "race-share",
    ),
    Source(
        f"{_NB}/Transportation/final/transportation_subgroup_city.csv",
        _P,
        _TRANSPORT,
        _F,
        "race-share",
    ),
    Source(
        f"{_NB}/social-capital/final/social_associations_all_county.csv",
        _C_,
        _same("count_membership_associations_per_10k"),
    ),
    Source(
        f"{_NB}/social-capital/final/social_associations_all_city.csv",
        _P,
        _same("count_membership_associations_per_10k"),
    ),
    Source(
        f"{_NB}/social-capital/final/economic_connectedness_version2025_county_2022.csv",
        _C_,
        _same("share_economic_connectedness"),
    ),
    Source(
        f"{_NB}/social-capital/final/economic_connectedness_version2025_place_2022.csv",
        _P,
        _same("share_economic_connectedness"),
    ),
    # Healthy environment and health care
    Source(
        f"{_NB}/environment/data/final/environment_county_longitudinal.csv",
        _C_,
        _same("index_air_hazard"),
    ),
    Source(
        f"{_NB}/environment/data/final/environment_place_longitudinal.csv",
        _P,
        _same("index_air_hazard"),
    ),
    *(
        Source(
            f"{_NB}/environment/data/final/environment_{lvl}_{sub}_longitudinal.csv",
            level,
            _same("index_air_hazard"),
            _F,
            "race-share" if sub == "race-ethnicity" else None,
        )
        for lvl, level in (("county", _C_), ("place", _P))
        for sub in ("poverty", "race-ethnicity")
    ),
    Source(
        "04_health/access-health-services/final/ratio_pop_pcp_metric_all_county.csv",
        _C_,
        _same("ratio_population_pc_physician"),
    ),
    Source(
        "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_all_county.csv",
        _C_,
        _LBW,
    ),
    Source("04_health/final_data/neonatal_health_subgroup_2018.csv", _C_, _LBW_OLD, _F),
    Source("04_health/final_data/neonatal_health_subgroup_2020.csv", _C_, _LBW_OLD, _F),
    Source("04_health/final_data/neonatal_health_subgroup_2022.csv", _C_, _LBW, _F),
    Source(
        "04_health/exposure-to-trauma/data/final/rate_injury_deaths_metric_all_county.csv",
        _C_,
        _same("rate_injury_death"),
    ),
    Source(
        "04_health/exposure-to-trauma/data/final/rate_injury_deaths_metric_subgroup_county.csv",
        _C_,
        _same("rate_injury_death"),
        _F,
    ),
    # Responsive and just governance
    Source("05_local-governance/voter-turnout/voter-turnout-2016.csv", _C_, _TURNOUT_OLD),
    Source("05_local-governance/voter-turnout/voter-turnout-2020.csv", _C_, _TURNOUT_OLD),
    Source(
        "05_local-governance/voter-turnout/data/final/voter-turnout-city-2016.csv",
        _P,
        _same("share_election_turnout"),
    ),
    Source("05_local-governance/voter-turnout/voter-turnout-city-2020.csv", _P, _TURNOUT_OLD),
    Source(
        "05_local-governance/descriptive-representation/data/final/descriptive_rep_denominator_county_all.csv",
        _C_,
        _DESC,
    ),
    Source(
        "05_local-governance/descriptive-representation/data/final/descriptive_rep_denominator_city_all.csv",
        _P,
        _DESC,
    ),
    Source("07_safety/final/rates_crime_county_all.csv", _C_, _CRIME),
    Source("07_safety/final/rates_crime_place_all.csv", _P, _CRIME),
    Source("07_safety/final/rate_arrests_county_all.csv", _C_, _same("rate_juv_arrest")),
    Source("07_safety/final/rate_arrests_place_all.csv", _P, _same("rate_juv_arrest")),
    Source(
        "07_safety/final/rate_arrests_county_all_subgroup.csv", _C_, _same("rate_juv_arrest"), _F
    ),
    Source("07_safety/final/rate_arrests_place_all_subgroup.csv", _P, _same("rate_juv_arrest"), _F),
)

# Files the importer would read but the snapshot lacks (4 MiB or more upstream): metric, level,
# subgroup type. The coverage table lists them as "not in the source snapshot".
ABSENT: tuple[tuple[str, str, Level, str], ...] = (
    (
        f"{_FIN}/final/metrics_income_county_gender_longitudinal.csv",
        "metric/household-income-percentiles",
        _C_,
        "gender",
    ),
    (
        f"{_FIN}/final/metrics_income_county_race-ethnicity_longitudinal.csv",
        "metric/household-income-percentiles",
        _C_,
        "race-ethnicity",
    ),
    (_pair("county", "subgroup"), "metric/housing-wealth-ratio", _C_, "age"),
    (
        f"{_HOUSE}/housing_county_2014_2015_2016_2017_2018_2019_2021_2022_2023_subgroups.csv",
        "metric/affordable-housing-ratio",
        _C_,
        "tenure",
    ),
    (
        "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_subgroup_county.csv",
        "metric/low-birth-weight",
        _C_,
        "race-ethnicity, mothers-education (2023 release)",
    ),
    (
        "08_education/data/built/SEDA_all_subgroups_county_2014-2018.csv",
        "metric/ela-achievement-growth",
        _C_,
        "race-ethnicity, gender, income",
    ),
    (
        f"{_ED}/metrics_college_county_race-ethnicity_longitudinal.csv",
        "metric/high-school-completion",
        _C_,
        "race-ethnicity",
    ),
    (
        f"{_ED}/metrics_preschool_county_race-ethnicity_longitudinal.csv",
        "metric/preschool-enrollment",
        _C_,
        "race-ethnicity",
    ),
    (
        "09_employment/data/final/living_wage_county_industry_longitudinal.csv",
        "metric/living-wage-ratio",
        _C_,
        "industry",
    ),
    (
        f"{_EMP}/metrics_employment_county_race-ethnicity_longitudinal.csv",
        "metric/employment-to-population-ratio",
        _C_,
        "race-ethnicity",
    ),
)

# Names and populations of counties and cities, and the county-city crosswalk.
COUNTY_NAMES = "geographic-crosswalks/data/county-populations.csv"
CITY_NAMES = "geographic-crosswalks/data/place-populations.csv"
CITY_COUNTIES = "geographic-crosswalks/data/geocorr2022_county_place_2022_onwards.csv"

# Upstream spellings of subgroup types, and their names in the corpus's controlled list.
SUBGROUP_TYPES = {
    "race-ethncity": "race-ethnicity",
    "race_ethnicity": "race-ethnicity",
    "race-ethnicity": "race-ethnicity",
    "gender": "gender",
    "age": "age",
    "disability": "disability",
    "income": "income",
    "tenure": "tenure",
    "poverty": "poverty",
    "mothers-education": "mothers-education",
    "race-share": "race-share",
}

STATES: dict[str, tuple[str, str]] = {
    "01": ("AL", "Alabama"), "02": ("AK", "Alaska"), "04": ("AZ", "Arizona"),
    "05": ("AR", "Arkansas"), "06": ("CA", "California"), "08": ("CO", "Colorado"),
    "09": ("CT", "Connecticut"), "10": ("DE", "Delaware"), "11": ("DC", "District of Columbia"),
    "12": ("FL", "Florida"), "13": ("GA", "Georgia"), "15": ("HI", "Hawaii"),
    "16": ("ID", "Idaho"), "17": ("IL", "Illinois"), "18": ("IN", "Indiana"),
    "19": ("IA", "Iowa"), "20": ("KS", "Kansas"), "21": ("KY", "Kentucky"),
    "22": ("LA", "Louisiana"), "23": ("ME", "Maine"), "24": ("MD", "Maryland"),
    "25": ("MA", "Massachusetts"), "26": ("MI", "Michigan"), "27": ("MN", "Minnesota"),
    "28": ("MS", "Mississippi"), "29": ("MO", "Missouri"), "30": ("MT", "Montana"),
    "31": ("NE", "Nebraska"), "32": ("NV", "Nevada"), "33": ("NH", "New Hampshire"),
    "34": ("NJ", "New Jersey"), "35": ("NM", "New Mexico"), "36": ("NY", "New York"),
    "37": ("NC", "North Carolina"), "38": ("ND", "North Dakota"), "39": ("OH", "Ohio"),
    "40": ("OK", "Oklahoma"), "41": ("OR", "Oregon"), "42": ("PA", "Pennsylvania"),
    "44": ("RI", "Rhode Island"), "45": ("SC", "South Carolina"), "46": ("SD", "South Dakota"),
    "47": ("TN", "Tennessee"), "48": ("TX", "Texas"), "49": ("UT", "Utah"),
    "50": ("VT", "Vermont"), "51": ("VA", "Virginia"), "53": ("WA", "Washington"),
    "54": ("WV", "West Virginia"), "55": ("WI", "Wisconsin"), "56": ("WY", "Wyoming"),
}  # fmt: skip
