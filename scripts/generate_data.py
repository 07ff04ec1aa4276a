"""Deterministic generator of the seven raw relations in docs/source_contract.md.

Every customer gets a hidden persona (champion, loyal, promising, at_risk,
hibernating, lost, prospect, cart_abandoner) that drives signup date, orders,
events, subscription and survey answers, so segments built downstream differ
for real. The persona is never written out.

Data for a chunk of customers depends only on (seed, chunk index, chunk size),
so runs are reproducible and large bases stream chunk by chunk (parquet: one
``part-NNNNN.parquet`` per chunk and relation, every column a string).

Injected dirt. Rates are of the clean rows of that relation, drawn per chunk
(orders and events: per block of 25,000 customers; subscriptions: of those
with a started_at), and every kind appears at least once in every non-empty
chunk. "extra" rows are appended after the clean rows of their chunk/block;
"in place" rows alter a clean row. Quarantine kinds never overlap on one row,
so each dirty row has exactly one quarantine reason (casing variants are
not quarantine reasons and may fall on any row).

=============  ================================  ======  ========  ========================
relation       kind                              rate    how       staging outcome
=============  ================================  ======  ========  ========================
customers      exact duplicate row               1.0%    extra     duplicate
customers      near duplicate: same id, email    1.0%    extra     duplicate (newer wins)
               re-cased and/or padded, later
               updated_at, one of last_name /
               job_title / marketing_consent
               changed
customers      NULL email                        2.0%    in place  kept, has_email = false
customers      malformed email (newer version)   1.0%    extra     malformed_email
customers      unknown country XX / ZZ / UK      1.0%    in place  country -> NULL
customers      enum casing / whitespace          5.0%    in place  normalised (gender,
                                                                   seniority, channel)
customers      empty customer_id                 0.2%    extra     missing_key
customers      signed_up_at year 2062 (newer)    0.3%    extra     future_timestamp
customers      signed_up_at unparseable (newer)  0.2%    extra     unparseable_timestamp
accounts       exact duplicate row               1.0%    extra     duplicate
accounts       near duplicate: later updated_at  1.0%    extra     duplicate (newer wins)
accounts       negative employee_count           0.5%    in place  negative_firmographics
accounts       industry casing / whitespace      5.0%    in place  normalised
orders         exact duplicate row               1.0%    extra     duplicate
orders         near duplicate: status re-cased,  1.0%    extra     duplicate (newer wins)
               later updated_at
orders         NULL amount                       0.5%    in place  missing_amount
orders         negative amount                   0.5%    in place  negative_amount
orders         ordered_at year 2062              0.3%    in place  future_timestamp
orders         ordered_at before signup          0.5%    in place  before_signup
orders         orphan customer_id (C9xxxxxxx)    0.5%    extra     orphan_customer
orders         status/currency/channel casing    5.0%    in place  normalised (each column)
events         orphan customer_id                0.5%    extra     orphan_customer
events         event_type casing / whitespace    3.0%    in place  normalised
events         unknown event type ``scroll``     0.3%    extra     unknown_event_type
events         event_date year 2062              0.2%    extra     future_timestamp
events         event_count 0 or negative         0.3%    in place  invalid_count
events         exact duplicate row               0.5%    extra     duplicate
subscriptions  orphan customer_id                1.0%    extra     orphan_customer
subscriptions  negative mrr                      1.0%    in place  negative_amount
subscriptions  cancelled_at before started_at    1.0%    in place  cancelled_before_start
subscriptions  status / plan casing              5.0%    in place  normalised
survey         orphan customer_id                1.0%    extra     orphan_customer
survey         enum casing / whitespace          5.0%    in place  normalised
erasure        unknown customer id               2 per chunk       kept (may arrive later)
erasure        repeated request, later date      10%     extra     duplicate (earliest wins)
=============  ================================  ======  ========  ========================

Formats: timestamps ``YYYY-MM-DD HH:MM:SS`` (UTC), dates ``YYYY-MM-DD``, money
``123.45``; NULL is an empty CSV field. Malformed e-mails are
``<local>.example.com`` (no at sign), ``<first>@<last>`` (no dot in domain) and
``<local>@@<domain>``. Unparseable signups are ``not a date`` and
``2024-13-45``. Orphan customer ids are ``C9`` + 7 digits, a range no real
customer reaches below 90M customers.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

Cols = dict[str, pa.Array | pa.ChunkedArray]

SCHEMAS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id", "email", "first_name", "last_name", "birth_date",
        "gender", "country_code", "region", "city", "postal_code", "job_title",
        "seniority", "acquisition_channel", "signed_up_at", "marketing_consent",
        "account_id", "updated_at",
    ),
    "accounts": (
        "account_id", "account_name", "industry", "employee_count",
        "annual_revenue", "country_code", "tech_stack", "growth_stage",
        "updated_at",
    ),
    "orders": (
        "order_id", "customer_id", "ordered_at", "status", "amount",
        "currency", "sales_channel", "product_category", "updated_at",
    ),
    "events": (
        "customer_id", "event_date", "event_type", "feature_name",
        "event_count",
    ),
    "subscriptions": (
        "subscription_id", "customer_id", "plan", "trial_started_at",
        "started_at", "cancelled_at", "mrr", "status", "updated_at",
    ),
    "survey_responses": (
        "response_id", "customer_id", "answered_at", "primary_goal",
        "main_pain_point", "motivation",
    ),
    "erasure_requests": ("customer_id", "requested_at"),
}

DAY = 86_400
START_DATE = "2023-01-01"

# --- personas -------------------------------------------------------------
PERSONAS = (
    "champion", "loyal", "promising", "at_risk", "hibernating", "lost",
    "prospect", "cart_abandoner",
)
CHAMPION, LOYAL, PROMISING, AT_RISK, HIBERNATING, LOST, PROSPECT, CART = range(8)
PERSONA_P = np.array([0.08, 0.14, 0.08, 0.09, 0.14, 0.12, 0.25, 0.10])
# Earliest signup (days before as-of) that leaves room for the persona's story.
SIGNUP_MIN_AGO = np.array([180, 120, 0, 300, 420, 450, 0, 45])
PROMISING_MAX_AGO = 59
# Last order window in days before as-of; -1 means "up to the signup".
LAST_ORDER_AGO = np.array(
    [[0, 20], [0, 45], [0, -1], [100, 200], [200, 400], [400, -1], [0, 0], [30, -1]]
)
# Poisson means tuned so the base averages 6 orders per customer.
ORDER_LAM = np.array([30.0, 13.5, 0.8, 11.0, 2.2, 1.3, 0.0, 0.8])
ORDER_MIN = np.array([8, 4, 0, 3, 1, 1, 0, 0])
ORDER_MAX = np.array([90, 90, 2, 90, 4, 2, 0, 2])
DEFAULT_ORDERS_PER_CUSTOMER = 6.0
ORPHAN_ORDER_RATE = 0.005
SPEND_MULT = np.array([2.0, 1.2, 0.8, 1.6, 0.5, 0.5, 1.0, 0.7])
# Relative event volume and the window (days before as-of) it falls in.
EVENT_WEIGHT = np.array([3.5, 1.8, 0.9, 0.8, 0.3, 0.12, 0.5, 0.8])
EVENT_AGO = np.array(
    [[0, 120], [0, 180], [0, 60], [60, 400], [150, 600], [350, 1400], [0, 1400], [0, 200]]
)
# >1 pulls events towards the recent end of the window.
EVENT_RECENCY_POWER = np.array([2.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
EVENT_INTENSITY = np.array([2.0, 1.3, 1.0, 0.8, 0.7, 0.6, 0.8, 1.0])
FEATURES_ADOPTED = np.array([[5, 8], [3, 5], [1, 3], [2, 4], [1, 2], [1, 1], [1, 2], [1, 2]])
DEFAULT_EVENT_ROWS_PER_CUSTOMER = 13.0
# Calibrated: rows per customer = EVENT_ROW_FACTOR * weight * scale before the
# order, intent and cart rows are added and the keys deduplicated.
EVENT_ROW_FACTOR = 0.85

EVENT_TYPES = (
    "page_view", "add_to_cart", "checkout_started", "login", "feature_used",
    "email_open", "email_click", "pricing_page_view", "demo_request",
)
PAGE_VIEW, ADD_TO_CART, CHECKOUT, _, FEATURE_USED, _, _, PRICING, DEMO = range(9)
# Cart events come only from orders and abandoners, so an unmatched recent
# checkout is a real abandonment signal, not noise.
EVENT_TYPE_P = np.array([
    [0.18, 0, 0, 0.25, 0.35, 0.10, 0.09, 0.02, 0.01],
    [0.22, 0, 0, 0.25, 0.25, 0.15, 0.10, 0.03, 0.00],
    [0.30, 0, 0, 0.25, 0.20, 0.12, 0.08, 0.05, 0.00],
    [0.25, 0, 0, 0.25, 0.20, 0.18, 0.07, 0.05, 0.00],
    [0.35, 0, 0, 0.15, 0.10, 0.30, 0.05, 0.05, 0.00],
    [0.40, 0, 0, 0.10, 0.05, 0.40, 0.05, 0.00, 0.00],
    [0.58, 0, 0, 0.05, 0.05, 0.25, 0.05, 0.02, 0.00],
    [0.45, 0, 0, 0.10, 0.05, 0.25, 0.10, 0.05, 0.00],
])
EVENT_COUNT_LAM = np.array([6.0, 1.0, 0.3, 1.5, 4.0, 0.5, 0.2, 0.8, 0.0])
FEATURES = (
    "dashboards", "reports", "api", "integrations", "automation", "alerts",
    "exports", "collaboration",
)
PROSPECT_INTENT_SHARE = 0.4

# --- customers --------------------------------------------------------------
B2B_SHARE = 0.55
GENDERS = ("female", "male", "non_binary", "undisclosed")
GENDER_P = np.array([0.46, 0.46, 0.03, 0.05])
SENIORITIES = ("individual_contributor", "manager", "director", "vp", "c_level")
SENIORITY_P = np.array([0.45, 0.28, 0.14, 0.08, 0.05])
JOB_TITLES = (
    ("Software Engineer", "Marketing Specialist", "Data Analyst", "Account Executive"),
    ("Marketing Manager", "Engineering Manager", "Operations Manager", "Product Manager"),
    ("Director of Operations", "Director of Marketing", "Director of Engineering", "Finance Director"),
    ("VP Sales", "VP Marketing", "VP Engineering", "VP Customer Success"),
    ("CEO", "CTO", "CFO", "COO"),
)
CHANNELS = (
    "organic_search", "paid_social", "paid_search", "referral", "email",
    "direct", "partner",
)
CHANNEL_P_B2C = np.array([0.26, 0.22, 0.16, 0.12, 0.08, 0.11, 0.05])
CHANNEL_P_B2B = np.array([0.22, 0.08, 0.18, 0.14, 0.12, 0.10, 0.16])
FIRST_NAMES = (
    "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Grace", "Hugo", "Ines",
    "Jonas", "Kara", "Liam", "Maya", "Noah", "Olivia", "Pablo", "Quinn",
    "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
    "Priya", "Arjun", "Lucas", "Sofia", "Emma", "Louis", "Julia", "Marco",
    "Aisha", "Chloe", "Daniel", "Fatima", "Mateo", "Hannah",
)
LAST_NAMES = (
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Schmidt", "Muller",
    "Martin", "Bernard", "Dubois", "Rossi", "Jansen", "de Vries", "Lopez",
    "Martinez", "Sanchez", "Patel", "Sharma", "Singh", "Silva", "Santos",
    "Oliveira", "Taylor", "Wilson", "Thompson", "Evans", "Walker", "Nguyen",
    "Kim", "Chen", "Fischer", "Weber", "Meyer", "Moreau", "Laurent", "Clarke",
    "Murphy", "Kelly", "Novak", "Costa",
)
PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me")
LOCAL_DOMAIN_SHARE = 0.3
COUNTRIES = ("US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "IN", "BR")
COUNTRY_P = np.array([0.40, 0.12, 0.10, 0.07, 0.07, 0.05, 0.05, 0.04, 0.06, 0.04])
# A national mail provider per country, so private addresses fit the country.
COUNTRY_DOMAIN = (
    "comcast.net", "btinternet.com", "gmx.de", "orange.fr", "rogers.com",
    "bigpond.com", "ziggo.nl", "telefonica.es", "rediffmail.com", "uol.com.br",
)
COUNTRY_CURRENCY = ("USD", "GBP", "EUR", "EUR", "USD", "USD", "EUR", "EUR", "USD", "USD")
# (country, region, city, postal prefix, random digits appended)
PLACES: tuple[tuple[str, str, str, str, int], ...] = (
    ("US", "NY", "New York", "100", 2), ("US", "CA", "San Francisco", "941", 2),
    ("US", "CA", "Los Angeles", "900", 2), ("US", "TX", "Austin", "787", 2),
    ("US", "IL", "Chicago", "606", 2), ("US", "WA", "Seattle", "981", 2),
    ("US", "MA", "Boston", "021", 2), ("US", "GA", "Atlanta", "303", 2),
    ("GB", "England", "London", "EC1A ", 1), ("GB", "England", "Manchester", "M1 ", 1),
    ("GB", "Scotland", "Edinburgh", "EH1 ", 1), ("GB", "Wales", "Cardiff", "CF10 ", 1),
    ("DE", "Berlin", "Berlin", "101", 2), ("DE", "Bavaria", "Munich", "803", 2),
    ("DE", "Hamburg", "Hamburg", "203", 2), ("DE", "Hesse", "Frankfurt", "603", 2),
    ("FR", "Ile-de-France", "Paris", "750", 2), ("FR", "Auvergne-Rhone-Alpes", "Lyon", "690", 2),
    ("FR", "Occitanie", "Toulouse", "310", 2),
    ("CA", "ON", "Toronto", "M5V ", 1), ("CA", "BC", "Vancouver", "V6B ", 1),
    ("CA", "QC", "Montreal", "H2X ", 1),
    ("AU", "NSW", "Sydney", "20", 2), ("AU", "VIC", "Melbourne", "30", 2),
    ("NL", "North Holland", "Amsterdam", "10", 2), ("NL", "South Holland", "Rotterdam", "30", 2),
    ("ES", "Madrid", "Madrid", "280", 2), ("ES", "Catalonia", "Barcelona", "080", 2),
    ("IN", "Karnataka", "Bengaluru", "5600", 2), ("IN", "Maharashtra", "Mumbai", "4000", 2),
    ("BR", "SP", "Sao Paulo", "01310-", 3), ("BR", "RJ", "Rio de Janeiro", "20040-", 3),
)
UNKNOWN_COUNTRIES = ("XX", "ZZ", "UK")

# --- accounts ---------------------------------------------------------------
INDUSTRIES = (
    "manufacturing", "software", "retail", "healthcare", "financial_services",
    "education", "logistics",
)
INDUSTRY_P = np.array([0.18, 0.22, 0.16, 0.12, 0.12, 0.08, 0.12])
STAGES = ("seed", "early", "growth", "mature", "enterprise")
TOOLS = (
    "salesforce", "hubspot", "slack", "snowflake", "aws", "azure", "gcp",
    "shopify", "sap", "zendesk",
)
TOOL_P = np.array([0.42, 0.38, 0.40, 0.14, 0.45, 0.18, 0.14, 0.10, 0.08, 0.15])
NAME_STEMS = (
    "Acme", "Globex", "Initech", "Umbrella", "Northwind", "Contoso", "Vandelay",
    "Stark", "Wayne", "Hooli", "Pied Piper", "Tyrell", "Cyberdyne", "Soylent",
    "Aperture", "Blue Sun", "Wonka", "Gringotts", "Oceanic", "Monarch",
)
NAME_SUFFIXES = (
    "Industries", "Systems", "Labs", "Retail", "Logistics", "Health", "Capital",
    "Learning", "Works", "Group",
)

# --- orders, subscriptions, survey ------------------------------------------
STATUSES = ("completed", "refunded", "cancelled", "pending")
STATUS_P = np.array([0.86, 0.05, 0.05, 0.04])
SALES_CHANNELS = ("web", "mobile_app", "sales_team", "marketplace")
SALES_CHANNEL_P_B2B = np.array([0.40, 0.08, 0.42, 0.10])
SALES_CHANNEL_P_B2C = np.array([0.55, 0.35, 0.00, 0.10])
CATEGORIES = ("software_license", "services", "hardware", "training", "add_on")
CATEGORY_P_B2B = np.array([0.35, 0.20, 0.15, 0.10, 0.20])
CATEGORY_P_B2C = np.array([0.30, 0.05, 0.20, 0.10, 0.35])
CATEGORY_MEDIAN_USD = np.array([400.0, 1200.0, 250.0, 300.0, 60.0])

PLANS = ("starter", "pro", "business", "enterprise")
PLAN_PRICE_CENTS = np.array([2_900, 9_900, 29_900, 99_900])
PLAN_P = np.array([
    [0.00, 0.20, 0.45, 0.35],
    [0.10, 0.45, 0.35, 0.10],
    [0.60, 0.35, 0.05, 0.00],
    [0.05, 0.35, 0.45, 0.15],
    [0.70, 0.25, 0.05, 0.00],
    [0.55, 0.40, 0.05, 0.00],
    [0.60, 0.35, 0.05, 0.00],
    [0.60, 0.35, 0.05, 0.00],
])
SUB_STATUSES = ("trialing", "active", "cancelled", "past_due")
SUB_STATUS_P = np.array([
    [0.00, 0.95, 0.02, 0.03],
    [0.00, 0.88, 0.06, 0.06],
    [0.70, 0.30, 0.00, 0.00],
    [0.00, 0.00, 0.50, 0.50],
    [0.00, 0.40, 0.60, 0.00],
    [0.00, 0.00, 1.00, 0.00],
    [1.00, 0.00, 0.00, 0.00],
    [0.30, 0.50, 0.20, 0.00],
])
SUB_SHARE = np.array([0.97, 0.90, 0.55, 0.92, 0.50, 0.65, 0.33, 0.45])
TRIAL_DAYS = 14

GOALS = ("grow_revenue", "cut_costs", "save_time", "improve_quality", "ensure_compliance")
GOAL_P_B2B = np.array([0.35, 0.25, 0.15, 0.10, 0.15])
GOAL_P_B2C = np.array([0.15, 0.15, 0.40, 0.25, 0.05])
PAINS = ("manual_work", "poor_visibility", "high_costs", "slow_onboarding", "integration_gaps")
PAIN_P = np.array([
    [0.20, 0.15, 0.05, 0.05, 0.55],
    [0.30, 0.25, 0.15, 0.10, 0.20],
    [0.20, 0.15, 0.15, 0.40, 0.10],
    [0.15, 0.20, 0.45, 0.10, 0.10],
    [0.30, 0.20, 0.30, 0.10, 0.10],
    [0.20, 0.15, 0.45, 0.10, 0.10],
    [0.35, 0.25, 0.15, 0.15, 0.10],
    [0.25, 0.20, 0.35, 0.10, 0.10],
])
MOTIVATIONS = ("innovation", "reliability", "price", "status", "simplicity")
MOTIVATION_P = np.array([
    [0.40, 0.20, 0.05, 0.25, 0.10],
    [0.15, 0.45, 0.10, 0.10, 0.20],
    [0.30, 0.15, 0.15, 0.10, 0.30],
    [0.10, 0.20, 0.45, 0.05, 0.20],
    [0.10, 0.20, 0.35, 0.05, 0.30],
    [0.05, 0.15, 0.55, 0.05, 0.20],
    [0.20, 0.20, 0.25, 0.10, 0.25],
    [0.10, 0.15, 0.45, 0.10, 0.20],
])
SURVEY_SHARE = 0.35
SURVEY_REPEAT_SHARE = 0.15
ERASURE_SHARE = 0.005


@dataclass(frozen=True)
class Config:
    """Everything a chunk's data depends on besides its index."""

    seed: int = 42
    as_of: str = "2026-06-30"
    chunk_size: int = 100_000
    orders_per_customer: float = DEFAULT_ORDERS_PER_CUSTOMER
    event_rows_per_customer: float = DEFAULT_EVENT_ROWS_PER_CUSTOMER

    @property
    def as_of_day(self) -> int:
        return int(np.datetime64(self.as_of, "D").astype(np.int64))

    @property
    def as_of_end(self) -> int:
        """Last second of the as-of day: the latest clean timestamp."""
        return (self.as_of_day + 1) * DAY - 1

    @property
    def max_ago(self) -> int:
        return self.as_of_day - int(np.datetime64(START_DATE, "D").astype(np.int64))


@dataclass
class Chunk:
    """Hidden per-customer state shared by the generators of one chunk."""

    rng: np.random.Generator
    cfg: Config
    index: int
    ids: pa.Array
    persona: np.ndarray
    b2b: np.ndarray
    signup: np.ndarray
    country: np.ndarray

    @property
    def n(self) -> int:
        return len(self.persona)


# --- small vectorised helpers ------------------------------------------------
def _labels(values: Sequence[str], codes: np.ndarray) -> pa.Array:
    """Map integer codes to strings; negative codes become NULL."""
    codes = np.asarray(codes)
    safe = np.where(codes < 0, 0, codes)
    return pa.array(values, pa.string()).take(pa.array(safe, mask=codes < 0))


def _choice_by_group(rng: np.random.Generator, groups: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Draw one category per row from the probability row of its group."""
    out = np.zeros(len(groups), dtype=np.int64)
    for g in np.unique(groups):
        mask = groups == g
        p = probs[g] / probs[g].sum()
        out[mask] = rng.choice(len(p), size=int(mask.sum()), p=p)
    return out


def _choice_by_flag(
    rng: np.random.Generator, flag: np.ndarray, p_true: np.ndarray, p_false: np.ndarray
) -> np.ndarray:
    return _choice_by_group(rng, flag.astype(np.int64), np.vstack([p_false, p_true]))


def _count(rate: float, n: int) -> int:
    """Rows to corrupt: at least one so every kind shows up in small demos."""
    return 0 if n == 0 else min(n, max(1, round(rate * n)))


def _disjoint(rng: np.random.Generator, n: int, rates: Sequence[float]) -> list[np.ndarray]:
    """Sorted, non-overlapping row picks, one per dirt kind."""
    counts = [_count(r, n) for r in rates]
    total = min(n, sum(counts))
    picked = rng.choice(n, size=total, replace=False) if total else np.zeros(0, np.int64)
    bounds = np.cumsum([0, *counts])
    return [np.sort(picked[a:b]) for a, b in itertools.pairwise(bounds)]


def _pad(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, np.int64)).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _ts(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    arr = pa.array(np.asarray(seconds, np.int64).astype("datetime64[s]"), mask=mask)
    # Arrow's cast prints 'YYYY-MM-DD HH:MM:SS' for naive seconds, ~10x faster
    # than strftime.
    return arr.cast(pa.string())


def _date(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, np.int64).astype("datetime64[D]")).cast(pa.string())


def _money(cents: np.ndarray) -> pa.Array:
    absolute = np.abs(cents)
    whole = pa.array(absolute // 100).cast(pa.string())
    frac = pc.utf8_lpad(pa.array(absolute % 100).cast(pa.string()), width=2, padding="0")
    text = pc.binary_join_element_wise(whole, frac, ".")
    return pc.if_else(pa.array(cents < 0), pc.binary_join_element_wise("-", text, ""), text)


def _int_text(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, np.int64)).cast(pa.string())


def _uniform_int(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> npt.NDArray[np.int64]:
    """Integers in [low, high] per row; high is clamped up to low."""
    high = np.maximum(high, low)
    offset = np.floor(rng.random(len(low)) * (high - low + 1)).astype(np.int64)
    return np.asarray(low + offset, dtype=np.int64)


def _scatter(col: pa.Array, idx: np.ndarray, values: pa.Array) -> pa.Array:
    """Replace col[idx] (idx sorted) with values, in order."""
    if len(idx) == 0:
        return col
    mask = np.zeros(len(col), dtype=bool)
    mask[idx] = True
    return pc.replace_with_mask(col, pa.array(mask), values.cast(col.type))


def _negate(col: pa.Array, idx: np.ndarray) -> pa.Array:
    """Prefix '-' to col[idx]: the sign typo that makes an amount negative."""
    return _scatter(col, idx, pc.binary_join_element_wise("-", col.take(pa.array(idx)), ""))


def _take(cols: Cols, idx: np.ndarray) -> Cols:
    indices = pa.array(np.asarray(idx, np.int64))
    return {name: col.take(indices) for name, col in cols.items()}


def _concat(parts: Sequence[Cols]) -> Cols:
    """Zero-copy append of dirt rows: a chunked column, not a new buffer."""
    def pieces(col: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
        return list(col.chunks) if isinstance(col, pa.ChunkedArray) else [col]

    return {
        name: pa.chunked_array([c for p in parts for c in pieces(p[name])], pa.string())
        for name in parts[0]
    }


def _messy(rng: np.random.Generator, col: pa.Array, rate: float) -> pa.Array:
    """Re-spell some labels the way hand-typed sources do ('  Paid Social').

    Every variant lower-cases, trims and maps spaces to '_' back to the label.
    """
    idx = np.sort(rng.choice(len(col), size=_count(rate, len(col)), replace=False))
    sub = col.take(pa.array(idx))
    titled = pc.utf8_title(pc.replace_substring(sub, "_", " "))
    variants = (
        pc.utf8_upper(sub),
        titled,
        pc.binary_join_element_wise("  ", titled, ""),
        pc.binary_join_element_wise(sub, " ", ""),
    )
    style = rng.integers(0, len(variants), len(idx))
    out = variants[0]
    for s in range(1, len(variants)):
        out = pc.if_else(pa.array(style == s), variants[s], out)
    return _scatter(col, idx, out)


def _year_2062(col: pa.Array) -> pa.Array:
    """The typo the contract warns about: 2026 keyed as 2062."""
    return pc.utf8_replace_slice(col, start=0, stop=4, replacement="2062")


def _orphan_ids(rng: np.random.Generator, n: int) -> pa.Array:
    return _pad("C9", rng.integers(0, 10_000_000, n), 7)


# --- customers and accounts ---------------------------------------------------
def _signup_seconds(rng: np.random.Generator, cfg: Config, persona: np.ndarray) -> np.ndarray:
    low = np.minimum(SIGNUP_MIN_AGO[persona], cfg.max_ago)
    high = np.where(persona == PROMISING, min(PROMISING_MAX_AGO, cfg.max_ago), cfg.max_ago)
    ago = _uniform_int(rng, low, high)
    seconds = rng.integers(0, DAY, len(persona))
    return (cfg.as_of_day - ago) * DAY + seconds


def _account_ids(cfg: Config, index: int, n_customers: int) -> np.ndarray:
    per_chunk = math.ceil(cfg.chunk_size / 8)
    return index * per_chunk + np.arange(math.ceil(n_customers / 8)) + 1


def make_accounts(
    rng: np.random.Generator, cfg: Config, numbers: np.ndarray
) -> tuple[Cols, np.ndarray, np.ndarray]:
    """Accounts plus their true employee counts and country codes (for linking)."""
    n = len(numbers)
    employees = np.clip(np.round(np.exp(rng.normal(np.log(120), 1.8, n))), 1, 50_000).astype(np.int64)
    industry = rng.choice(len(INDUSTRIES), size=n, p=INDUSTRY_P)
    revenue_per_head = np.exp(rng.normal(np.log(160_000), 0.5, n)) * np.where(industry == 1, 1.4, 1.0)
    revenue = np.round(employees * revenue_per_head, -3).astype(np.int64)
    stage_score = np.log10(employees) + rng.normal(0, 0.35, n)
    stage = np.digitize(stage_score, [1.2, 2.0, 3.0, 3.8])
    country = rng.choice(len(COUNTRIES), size=n, p=COUNTRY_P)
    names = pc.binary_join_element_wise(
        _labels(NAME_STEMS, rng.integers(0, len(NAME_STEMS), n)),
        _labels(NAME_SUFFIXES, rng.integers(0, len(NAME_SUFFIXES), n)),
        " ",
    )
    created = (cfg.as_of_day - rng.integers(30, cfg.max_ago + 400, n)) * DAY
    cols: Cols = {
        "account_id": _pad("A", numbers, 7),
        "account_name": names,
        "industry": _labels(INDUSTRIES, industry),
        "employee_count": _int_text(employees),
        "annual_revenue": _int_text(revenue),
        "country_code": _labels(COUNTRIES, country),
        "tech_stack": _tech_stack(rng, industry),
        "growth_stage": _labels(STAGES, stage),
        "updated_at": _ts(created + rng.integers(0, 20 * DAY, n)),
    }
    return _dirty_accounts(rng, cfg, cols), employees, country


def _tech_stack(rng: np.random.Generator, industry: np.ndarray) -> pa.Array:
    p = np.broadcast_to(TOOL_P, (len(industry), len(TOOLS))).copy()
    p[industry == 2, TOOLS.index("shopify")] = 0.45
    p[industry == 0, TOOLS.index("sap")] = 0.40
    has = rng.random(p.shape) < p
    # Keep at most five tools (a random five) and at least one (the likeliest).
    priority = np.where(has, rng.random(p.shape), -1.0)
    rank = np.argsort(np.argsort(-priority, axis=1), axis=1)
    has &= rank < 5
    none = ~has.any(axis=1)
    has[none, rng.choice([0, 1, 4], size=int(none.sum()))] = True
    missing = pa.scalar(None, pa.string())
    columns = [pc.if_else(pa.array(has[:, j]), TOOLS[j], missing) for j in range(len(TOOLS))]
    return pc.binary_join_element_wise(*columns, "|", null_handling="skip")


def _dirty_accounts(rng: np.random.Generator, cfg: Config, cols: Cols) -> Cols:
    n = len(cols["account_id"])
    negative, exact, near = _disjoint(rng, n, [0.005, 0.01, 0.01])
    cols["employee_count"] = _negate(cols["employee_count"], negative)
    cols["industry"] = _messy(rng, cols["industry"], 0.05)
    newer = _take(cols, near)
    newer["updated_at"] = _ts(cfg.as_of_end - rng.integers(0, 30 * DAY, len(near)))
    newer["industry"] = pc.utf8_upper(newer["industry"])
    return _concat([cols, _take(cols, exact), newer])


def _places(rng: np.random.Generator, country: np.ndarray) -> tuple[pa.Array, pa.Array, pa.Array]:
    place_country = np.array([COUNTRIES.index(p[0]) for p in PLACES])
    order = np.argsort(place_country, kind="stable")
    starts = np.searchsorted(place_country[order], np.arange(len(COUNTRIES)))
    counts = np.bincount(place_country, minlength=len(COUNTRIES))
    pick = order[starts[country] + np.floor(rng.random(len(country)) * counts[country]).astype(np.int64)]
    digits = np.array([p[4] for p in PLACES])[pick]
    # Postal codes keep the city's real prefix; only the last 1-3 digits vary.
    padded = pc.utf8_lpad(_int_text(rng.integers(0, 10 ** digits)), width=3, padding="0")
    tails = [pc.utf8_slice_codeunits(padded, start=3 - d) for d in (1, 2, 3)]
    tail = pc.if_else(pa.array(digits == 1), tails[0], pc.if_else(pa.array(digits == 2), tails[1], tails[2]))
    postal = pc.binary_join_element_wise(_labels([p[3] for p in PLACES], pick), tail, "")
    return (
        _labels([p[1] for p in PLACES], pick),
        _labels([p[2] for p in PLACES], pick),
        postal,
    )


def _consent(rng: np.random.Generator, n: int) -> pa.Array:
    """~70% consent, spelled the many ways CRMs store a boolean."""
    yes = rng.random(n) < 0.70
    style = rng.choice(5, size=n, p=[0.45, 0.2, 0.15, 0.1, 0.1])
    true_words = np.array(["true", "yes", "1", "TRUE", "Yes"])
    false_words = np.array(["false", "no", "0", "FALSE", "No"])
    return pa.array(np.where(yes, true_words[style], false_words[style]))


def _emails(first: pa.Array, last: pa.Array, numbers: np.ndarray, domains: pa.Array) -> pa.Array:
    local = pc.utf8_lower(pc.replace_substring(
        pc.binary_join_element_wise(first, last, "."), " ", ""))
    local = pc.binary_join_element_wise(local, _int_text(numbers), "")
    return pc.binary_join_element_wise(local, domains, "@")


def make_customers(
    chunk: Chunk,
    account_numbers: np.ndarray,
    employees: np.ndarray,
    account_country: np.ndarray,
    account_slugs: pa.Array,
) -> Cols:
    rng, cfg, n = chunk.rng, chunk.cfg, chunk.n
    b2b = chunk.b2b
    weights = np.sqrt(employees) / np.sqrt(employees).sum() if len(employees) else None
    account = np.full(n, -1)
    if weights is not None:
        account[b2b] = rng.choice(len(employees), size=int(b2b.sum()), p=weights)
    country = chunk.country
    follow = b2b & (rng.random(n) < 0.75)
    country[follow] = account_country[account[follow]]
    region, city, postal = _places(rng, country)
    first = _labels(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n))
    last = _labels(LAST_NAMES, rng.integers(0, len(LAST_NAMES), n))
    personal = pc.if_else(
        pa.array(rng.random(n) < LOCAL_DOMAIN_SHARE),
        _labels(COUNTRY_DOMAIN, country),
        _labels(PERSONAL_DOMAINS, rng.integers(0, len(PERSONAL_DOMAINS), n)),
    )
    work = account_slugs.take(pa.array(np.maximum(account, 0))) if len(account_slugs) else personal
    domains = pc.if_else(pa.array(b2b), work, personal)
    numbers = chunk.index * cfg.chunk_size + np.arange(n) + 1
    seniority = np.where(b2b, rng.choice(len(SENIORITIES), size=n, p=SENIORITY_P), -1)
    title_pick = rng.integers(0, 4, n)
    titles = pa.array([t for level in JOB_TITLES for t in level]).take(
        pa.array(np.maximum(seniority, 0) * 4 + title_pick, mask=seniority < 0))
    birth = np.datetime64("1950-01-01").astype(np.int64) + np.clip(
        rng.normal(35 * 365.25, 11 * 365.25, n), 0, 55 * 365.25 - 1).astype(np.int64)
    updated = chunk.signup + (rng.random(n) * 0.7 * (cfg.as_of_end - chunk.signup)).astype(np.int64)
    cols: Cols = {
        "customer_id": chunk.ids,
        "email": _emails(first, last, numbers, domains),
        "first_name": first,
        "last_name": last,
        "birth_date": _date(birth),
        "gender": _labels(GENDERS, rng.choice(len(GENDERS), size=n, p=GENDER_P)),
        "country_code": _labels(COUNTRIES, country),
        "region": region,
        "city": city,
        "postal_code": postal,
        "job_title": titles,
        "seniority": _labels(SENIORITIES, seniority),
        "acquisition_channel": _labels(CHANNELS, _choice_by_flag(rng, b2b, CHANNEL_P_B2B, CHANNEL_P_B2C)),
        "signed_up_at": _ts(chunk.signup),
        "marketing_consent": _consent(rng, n),
        "account_id": _labels_accounts(account_numbers, account),
        "updated_at": _ts(updated),
    }
    return _dirty_customers(rng, cfg, cols, updated)


def _labels_accounts(account_numbers: np.ndarray, account: np.ndarray) -> pa.Array:
    ids = _pad("A", account_numbers, 7) if len(account_numbers) else pa.array([""])
    return ids.take(pa.array(np.maximum(account, 0), mask=account < 0))


def _dirty_customers(rng: np.random.Generator, cfg: Config, cols: Cols, updated: np.ndarray) -> Cols:
    n = len(cols["customer_id"])
    null_email, bad_country = _disjoint(rng, n, [0.02, 0.01])
    cols["email"] = _scatter(cols["email"], null_email, pa.nulls(len(null_email), pa.string()))
    cols["country_code"] = _scatter(
        cols["country_code"], bad_country,
        _labels(UNKNOWN_COUNTRIES, rng.integers(0, 3, len(bad_country))))
    for name in ("gender", "seniority", "acquisition_channel"):
        cols[name] = _messy(rng, cols[name], 0.05)

    has_email = np.ones(n, bool)
    has_email[null_email] = False
    candidates = np.flatnonzero(has_email)
    exact, near, malformed, empty_id, future, garbled = (
        candidates[i] for i in _disjoint(rng, len(candidates), [0.01, 0.01, 0.01, 0.002, 0.003, 0.002]))

    # Newer versions sort after the base row; staging must pick by updated_at.
    def newer(idx: np.ndarray) -> Cols:
        rows = _take(cols, idx)
        later = updated[idx] + rng.integers(DAY, 60 * DAY, len(idx))
        rows["updated_at"] = _ts(np.minimum(later, cfg.as_of_end))
        return rows

    near_rows = _near_duplicate_customers(rng, newer(near))
    bad_rows = newer(malformed)
    bad_rows["email"] = _malformed_emails(bad_rows["first_name"], bad_rows["last_name"], bad_rows["email"])
    blank_rows = _take(cols, empty_id)
    blank_rows["customer_id"] = pa.array([""] * len(empty_id), pa.string())
    future_rows = newer(future)
    future_rows["signed_up_at"] = _year_2062(future_rows["signed_up_at"])
    garbled_rows = newer(garbled)
    garbled_rows["signed_up_at"] = _labels(("not a date", "2024-13-45"), np.arange(len(garbled)) % 2)
    return _concat([cols, _take(cols, exact), near_rows, bad_rows, blank_rows, future_rows, garbled_rows])


def _near_duplicate_customers(rng: np.random.Generator, rows: Cols) -> Cols:
    k = len(rows["customer_id"])
    email = rows["email"]
    style = rng.integers(0, 3, k)
    upper = pc.utf8_upper(email)
    padded = pc.binary_join_element_wise(" ", pc.utf8_title(email), " ")
    titled = pc.utf8_title(email)
    rows["email"] = pc.if_else(pa.array(style == 0), upper, pc.if_else(pa.array(style == 1), padded, titled))
    field = rng.integers(0, 3, k)
    new_last = _labels(LAST_NAMES, rng.integers(0, len(LAST_NAMES), k))
    rows["last_name"] = pc.if_else(pa.array(field == 0), new_last, rows["last_name"])
    flipped = pc.if_else(
        pc.is_in(pc.utf8_lower(rows["marketing_consent"]), pa.array(["true", "yes", "1"])),
        pa.scalar("no"), pa.scalar("yes"))
    rows["marketing_consent"] = pc.if_else(pa.array(field == 1), flipped, rows["marketing_consent"])
    promoted = pc.binary_join_element_wise("Senior ", rows["job_title"], "")
    promoted = pc.coalesce(promoted, pa.scalar("Consultant"))
    rows["job_title"] = pc.if_else(pa.array(field == 2), promoted, rows["job_title"])
    return rows


def _malformed_emails(first: pa.Array, last: pa.Array, email: pa.Array) -> pa.Array:
    local = pc.utf8_lower(pc.replace_substring(pc.binary_join_element_wise(first, last, "."), " ", ""))
    no_at = pc.binary_join_element_wise(local, "example.com", ".")
    no_dot = pc.utf8_lower(pc.replace_substring(pc.binary_join_element_wise(first, last, "@"), " ", ""))
    double_at = pc.replace_substring(email, "@", "@@")
    style = np.arange(len(local)) % 3
    return pc.if_else(pa.array(style == 0), no_at, pc.if_else(pa.array(style == 1), no_dot, double_at))


# --- orders -------------------------------------------------------------------
@dataclass
class Orders:
    """Order columns, plus customer index and time of each clean order (events need them)."""

    cols: Cols
    customer: np.ndarray
    at: np.ndarray


def _order_counts(chunk: Chunk) -> npt.NDArray[np.int64]:
    rng, p = chunk.rng, chunk.persona
    scale = chunk.cfg.orders_per_customer / DEFAULT_ORDERS_PER_CUSTOMER
    # Gamma-mixed Poisson: heavy tail within each persona, as real buyers are.
    lam = ORDER_LAM[p] * scale * rng.gamma(2.0, 0.5, chunk.n)
    return np.asarray(np.clip(rng.poisson(lam), ORDER_MIN[p], ORDER_MAX[p]), dtype=np.int64)


def _order_window(chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
    rng, cfg, p = chunk.rng, chunk.cfg, chunk.persona
    signup_ago = cfg.as_of_day - chunk.signup // DAY
    low = LAST_ORDER_AGO[p, 0]
    high = np.where(LAST_ORDER_AGO[p, 1] < 0, signup_ago, LAST_ORDER_AGO[p, 1])
    last_ago = np.minimum(_uniform_int(rng, np.minimum(low, signup_ago), np.minimum(high, signup_ago)), signup_ago)
    last = np.maximum(
        (cfg.as_of_day - last_ago) * DAY + rng.integers(6 * 3600, 22 * 3600, chunk.n),
        chunk.signup + 3600,
    )
    last = np.minimum(last, cfg.as_of_end)
    first = np.minimum(chunk.signup + rng.integers(3600, 30 * DAY, chunk.n), last)
    return first, last


def make_orders(chunk: Chunk) -> Orders:
    """Orders in blocks of customers, to bound row-level temporaries."""
    counts = _order_counts(chunk)
    first, last = _order_window(chunk)
    next_id = chunk.index * chunk.cfg.chunk_size * 100
    blocks: list[Orders] = []
    for lo in range(0, chunk.n, EVENT_BLOCK):
        hi = min(lo + EVENT_BLOCK, chunk.n)
        block = _order_block(chunk, counts, first, last, lo, hi, next_id)
        next_id += len(block.customer) + _count(ORPHAN_ORDER_RATE, len(block.customer))
        blocks.append(block)
    return Orders(
        _concat([b.cols for b in blocks]),
        np.concatenate([b.customer for b in blocks]),
        np.concatenate([b.at for b in blocks]),
    )


def _order_block(
    chunk: Chunk, counts: np.ndarray, first: np.ndarray, last: np.ndarray, lo: int, hi: int, next_id: int
) -> Orders:
    rng, cfg = chunk.rng, chunk.cfg
    customer = np.repeat(np.arange(lo, hi), counts[lo:hi])
    u = rng.random(len(customer))
    starts = np.cumsum(counts[lo:hi]) - counts[lo:hi]
    u[starts[counts[lo:hi] > 0]] = 1.0  # one order exactly at the persona's last order
    at = first[customer] + (u * (last[customer] - first[customer])).astype(np.int64)
    del u
    persona, b2b = chunk.persona[customer], chunk.b2b[customer]
    category = _choice_by_flag(rng, b2b, CATEGORY_P_B2B, CATEGORY_P_B2C)
    median = CATEGORY_MEDIAN_USD[category] * SPEND_MULT[persona] * np.where(b2b, 2.0, 1.0)
    cents = np.maximum(100, np.round(np.exp(rng.normal(np.log(median), 0.6)) * 100)).astype(np.int64)
    del median, persona
    status = rng.choice(len(STATUSES), size=len(customer), p=STATUS_P)
    # Pending means "not settled yet": only plausible for the last month.
    status[(status == 3) & (at < cfg.as_of_end - 30 * DAY)] = 0
    n_orders = len(customer)
    updated = np.minimum(at + rng.integers(60, 3 * DAY, n_orders), np.maximum(at, cfg.as_of_end))
    cols: Cols = {
        "order_id": _pad("O", next_id + np.arange(n_orders) + 1, 10),
        "customer_id": chunk.ids.take(pa.array(customer)),
        "ordered_at": _ts(at),
        "status": _labels(STATUSES, status),
        "amount": _money(cents),
        "currency": _currency(rng, chunk.country[customer]),
        "sales_channel": _labels(
            SALES_CHANNELS, _choice_by_flag(rng, b2b, SALES_CHANNEL_P_B2B, SALES_CHANNEL_P_B2C)),
        "product_category": _labels(CATEGORIES, category),
        "updated_at": _ts(updated),
    }
    dirty = _dirty_orders(chunk, cols, customer, updated, next_id + n_orders)
    return Orders(dirty, customer, at)


def _currency(rng: np.random.Generator, country: np.ndarray) -> pa.Array:
    home = np.array([("USD", "EUR", "GBP").index(c) for c in COUNTRY_CURRENCY])[country]
    # Some European buyers are invoiced in USD (marketplaces, US entities).
    return _labels(("USD", "EUR", "GBP"), np.where(rng.random(len(country)) < 0.15, 0, home))


def _dirty_orders(chunk: Chunk, cols: Cols, customer: np.ndarray, updated: np.ndarray, next_id: int) -> Cols:
    rng, cfg = chunk.rng, chunk.cfg
    n = len(customer)
    null_amount, negative, future, early, exact, orphan = _disjoint(
        rng, n, [0.005, 0.005, 0.003, 0.005, 0.01, ORPHAN_ORDER_RATE])
    cols["amount"] = _scatter(cols["amount"], null_amount, pa.nulls(len(null_amount), pa.string()))
    cols["amount"] = _negate(cols["amount"], negative)
    cols["ordered_at"] = _scatter(
        cols["ordered_at"], future, _year_2062(cols["ordered_at"].take(pa.array(future))))
    before = chunk.signup[customer[early]] - rng.integers(DAY, 90 * DAY, len(early))
    cols["ordered_at"] = _scatter(cols["ordered_at"], early, _ts(before))
    for name in ("status", "currency", "sales_channel"):
        cols[name] = _messy(rng, cols[name], 0.05)

    # Only settled, clean orders get a re-delivery: the newer copy stays
    # <= as-of and carries no second quarantine reason.
    is_settled = updated < cfg.as_of_end - 11 * DAY
    is_settled[np.concatenate([null_amount, negative, future, early])] = False
    settled = np.flatnonzero(is_settled)
    near = settled[_disjoint(rng, len(settled), [0.01])[0]]
    near_rows = _take(cols, near)
    near_rows["status"] = pc.utf8_upper(near_rows["status"])
    near_rows["updated_at"] = _ts(updated[near] + rng.integers(DAY, 10 * DAY, len(near)))
    orphan_rows = _take(cols, orphan)
    orphan_rows["order_id"] = _pad("O", next_id + np.arange(len(orphan)) + 1, 10)
    orphan_rows["customer_id"] = _orphan_ids(rng, len(orphan))
    return _concat([cols, _take(cols, exact), near_rows, orphan_rows])


# --- events -------------------------------------------------------------------
EVENT_DAY_SPAN = 100_000  # wider than any day offset, for packing dedup keys
EVENT_BLOCK = 25_000  # customers per event block; bounds row-level temporaries


@dataclass
class EventRows:
    customer: np.ndarray
    ago: np.ndarray
    kind: np.ndarray
    feature: np.ndarray

    @staticmethod
    def concat(parts: Sequence[EventRows]) -> EventRows:
        fields = ("customer", "ago", "kind", "feature")
        return EventRows(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


def _generic_events(chunk: Chunk, signup_ago: np.ndarray, lo: int, hi: int) -> EventRows:
    rng, cfg = chunk.rng, chunk.cfg
    p = chunk.persona[lo:hi]
    mean_weight = float(PERSONA_P @ EVENT_WEIGHT)
    lam = EVENT_WEIGHT[p] / mean_weight * EVENT_ROW_FACTOR * cfg.event_rows_per_customer
    counts = rng.poisson(lam * rng.gamma(2.0, 0.5, hi - lo))
    local = np.repeat(np.arange(hi - lo, dtype=np.int32), counts)
    pc_ = p[local]
    high = np.minimum(EVENT_AGO[pc_, 1], signup_ago[lo:hi][local])
    low = np.minimum(EVENT_AGO[pc_, 0], high)
    u = rng.random(len(local)) ** EVENT_RECENCY_POWER[pc_]
    ago = (low + np.floor(u * (high - low + 1))).astype(np.int32)
    del high, low, u
    kind = _choice_by_group(rng, pc_, EVENT_TYPE_P).astype(np.int8)
    adopted = _uniform_int(rng, FEATURES_ADOPTED[p, 0], FEATURES_ADOPTED[p, 1])
    offset = rng.integers(0, len(FEATURES), hi - lo)
    feature = (offset[local] + rng.integers(0, adopted[local])) % len(FEATURES)
    feature = np.where(kind == FEATURE_USED, feature, -1).astype(np.int8)
    return EventRows(local + np.int32(lo), ago, kind, feature)


def _order_events(chunk: Chunk, orders: Orders, lo: int, hi: int) -> EventRows:
    """Cart and checkout on the day of each recent order: a matched checkout."""
    first, last = np.searchsorted(orders.customer, [lo, hi])  # rows are grouped by customer
    ago = chunk.cfg.as_of_day - orders.at[first:last] // DAY
    recent = (ago >= 0) & (ago < 90)
    customer = np.tile(orders.customer[first:last][recent], 2).astype(np.int32)
    kind = np.repeat(np.array([ADD_TO_CART, CHECKOUT], np.int8), int(recent.sum()))
    return EventRows(customer, np.tile(ago[recent], 2).astype(np.int32), kind, np.full(len(customer), -1, np.int8))


def _intent_events(chunk: Chunk, signup_ago: np.ndarray, lo: int, hi: int) -> EventRows:
    """Recent pricing/demo interest of prospects, carts left by abandoners."""
    rng, p = chunk.rng, chunk.persona[lo:hi]
    keen = lo + np.flatnonzero((p == PROSPECT) & (rng.random(hi - lo) < PROSPECT_INTENT_SHARE))
    demo = keen[rng.random(len(keen)) < 0.5]
    carts = lo + np.flatnonzero(p == CART)
    customer = np.concatenate([keen, keen, demo, carts, carts, carts])
    kind = np.concatenate([
        np.full(2 * len(keen), PRICING), np.full(len(demo), DEMO),
        np.full(2 * len(carts), ADD_TO_CART), np.full(len(carts), CHECKOUT),
    ])
    ago = np.minimum(rng.integers(0, 14, len(customer)), signup_ago[customer])
    no_feature = np.full(len(customer), -1, np.int8)
    return EventRows(customer.astype(np.int32), ago.astype(np.int32), kind.astype(np.int8), no_feature)


def _event_block(chunk: Chunk, orders: Orders, signup_ago: np.ndarray, lo: int, hi: int) -> Cols:
    rng, cfg = chunk.rng, chunk.cfg
    rows = EventRows.concat([
        _generic_events(chunk, signup_ago, lo, hi),
        _order_events(chunk, orders, lo, hi),
        _intent_events(chunk, signup_ago, lo, hi),
    ])
    # One row per (customer, day, type, feature), the pre-aggregated grain;
    # packing the key into one int sorts rows by customer, then date.
    key = rows.customer.astype(np.int64) * EVENT_DAY_SPAN + (EVENT_DAY_SPAN - 1 - rows.ago)
    key = (key * 9 + rows.kind) * 9 + rows.feature + 1
    _, keep = np.unique(key, return_index=True)
    del key
    customer, ago, kind, feature = rows.customer[keep], rows.ago[keep], rows.kind[keep], rows.feature[keep]
    del rows, keep
    counts = 1 + rng.poisson(EVENT_COUNT_LAM[kind] * EVENT_INTENSITY[chunk.persona[customer]])
    cols: Cols = {
        "customer_id": chunk.ids.take(pa.array(customer)),
        "event_date": _date(cfg.as_of_day - ago),
        "event_type": _labels(EVENT_TYPES, kind),
        "feature_name": _labels(FEATURES, feature),
        "event_count": _int_text(counts),
    }
    return _dirty_events(rng, cols)


def make_events(chunk: Chunk, orders: Orders) -> Cols:
    """Events in blocks of customers: at 50 rows a customer the row-level
    numpy temporaries of a whole chunk would dominate peak memory."""
    signup_ago = chunk.cfg.as_of_day - chunk.signup // DAY
    bounds = [*range(0, chunk.n, EVENT_BLOCK), chunk.n]
    return _concat([_event_block(chunk, orders, signup_ago, lo, hi) for lo, hi in itertools.pairwise(bounds)])


def _dirty_events(rng: np.random.Generator, cols: Cols) -> Cols:
    n = len(cols["customer_id"])
    bad_count, orphan, scroll, future, exact = _disjoint(rng, n, [0.003, 0.005, 0.003, 0.002, 0.005])
    cols["event_count"] = _scatter(cols["event_count"], bad_count, _int_text(-rng.integers(0, 3, len(bad_count))))
    cols["event_type"] = _messy(rng, cols["event_type"], 0.03)
    orphan_rows = _take(cols, orphan)
    orphan_rows["customer_id"] = _orphan_ids(rng, len(orphan))
    scroll_rows = _take(cols, scroll)
    scroll_rows["event_type"] = pa.array(["scroll"] * len(scroll), pa.string())
    scroll_rows["feature_name"] = pa.nulls(len(scroll), pa.string())
    future_rows = _take(cols, future)
    future_rows["event_date"] = _year_2062(future_rows["event_date"])
    return _concat([cols, orphan_rows, scroll_rows, future_rows, _take(cols, exact)])


# --- subscriptions --------------------------------------------------------------
def _cancel_times(
    rng: np.random.Generator, cfg: Config, persona: np.ndarray, started: np.ndarray
) -> npt.NDArray[np.int64]:
    k = len(persona)
    ago_days = np.select(
        [persona == AT_RISK, persona == HIBERNATING, persona == LOST],
        [rng.integers(10, 90, k), rng.integers(150, 400, k), rng.integers(300, 500, k)],
        default=-1,
    )
    anytime = started + (rng.random(k) * (cfg.as_of_end - started)).astype(np.int64)
    at = np.where(ago_days >= 0, cfg.as_of_end - ago_days * DAY - rng.integers(0, DAY, k), anytime)
    return np.asarray(np.minimum(np.maximum(at, started + DAY), cfg.as_of_end), dtype=np.int64)


def make_subscriptions(chunk: Chunk) -> Cols:
    rng, cfg, p = chunk.rng, chunk.cfg, chunk.persona
    share = np.clip(SUB_SHARE[p] * np.where(chunk.b2b, 1.12, 0.85), 0, 1)
    idx = np.flatnonzero(rng.random(chunk.n) < share)
    k, persona, b2b, signup = len(idx), p[idx], chunk.b2b[idx], chunk.signup[idx]
    plan = _choice_by_group(rng, persona, PLAN_P)
    plan = np.where(b2b & (rng.random(k) < 0.25), np.minimum(plan + 1, 3), plan)
    plan = np.where(~b2b & (plan == 3), 2, plan)
    status = _choice_by_group(rng, persona, SUB_STATUS_P)
    trial = signup + rng.integers(0, 10 * DAY, k)
    started = trial + TRIAL_DAYS * DAY + rng.integers(0, DAY, k)
    trialing = (status == 0) | (started > cfg.as_of_end)
    status[trialing] = 0
    trial = np.where(trialing, np.maximum(signup, cfg.as_of_end - rng.integers(0, 13 * DAY, k)), trial)
    cancelled = _cancel_times(rng, cfg, persona, started)
    is_cancelled = status == 2
    seats = np.where(b2b & (plan >= 2), 1 + rng.poisson(np.exp(rng.normal(1.0, 0.8, k))), 1)
    discount = rng.choice([100, 90, 80], size=k, p=[0.7, 0.2, 0.1])
    mrr = PLAN_PRICE_CENTS[plan] * seats * discount // 100
    last_change = np.maximum(np.where(trialing, trial, started), np.where(is_cancelled, cancelled, 0))
    updated = np.minimum(last_change + rng.integers(60, 2 * DAY, k), cfg.as_of_end)
    base = chunk.index * cfg.chunk_size * 2
    cols: Cols = {
        "subscription_id": _pad("S", base + np.arange(k) + 1, 8),
        "customer_id": chunk.ids.take(pa.array(idx)),
        "plan": _labels(PLANS, plan),
        "trial_started_at": _ts(trial),
        "started_at": _ts(started, ~trialing),
        "cancelled_at": _ts(cancelled, is_cancelled),
        "mrr": _money(mrr),
        "status": _labels(SUB_STATUSES, status),
        "updated_at": _ts(updated),
    }
    return _dirty_subscriptions(rng, cols, started, ~trialing, base + k)


def _dirty_subscriptions(
    rng: np.random.Generator, cols: Cols, started: np.ndarray, has_start: np.ndarray, next_id: int
) -> Cols:
    paying = np.flatnonzero(has_start)
    negative, backwards, orphan = (paying[i] for i in _disjoint(rng, len(paying), [0.01, 0.01, 0.01]))
    cols["mrr"] = _negate(cols["mrr"], negative)
    too_early = started[backwards] - rng.integers(DAY, 30 * DAY, len(backwards))
    cols["cancelled_at"] = _scatter(cols["cancelled_at"], backwards, _ts(too_early))
    cols["status"] = _scatter(cols["status"], backwards, pa.array(["cancelled"] * len(backwards), pa.string()))
    for name in ("status", "plan"):
        cols[name] = _messy(rng, cols[name], 0.05)
    orphan_rows = _take(cols, orphan)
    orphan_rows["subscription_id"] = _pad("S", next_id + np.arange(len(orphan)) + 1, 8)
    orphan_rows["customer_id"] = _orphan_ids(rng, len(orphan))
    return _concat([cols, orphan_rows])


# --- survey and erasure ---------------------------------------------------------
def make_survey(chunk: Chunk) -> Cols:
    rng, cfg = chunk.rng, chunk.cfg
    first = np.flatnonzero(rng.random(chunk.n) < SURVEY_SHARE)
    again = first[rng.random(len(first)) < SURVEY_REPEAT_SHARE]
    first_at = chunk.signup + (rng.random(chunk.n) * (cfg.as_of_end - chunk.signup)).astype(np.int64)
    later_at = first_at + (rng.random(chunk.n) * (cfg.as_of_end - first_at)).astype(np.int64) + 60
    who = np.concatenate([first, again])
    at = np.minimum(np.concatenate([first_at[first], later_at[again]]), cfg.as_of_end)
    persona, b2b = chunk.persona[who], chunk.b2b[who]
    base = chunk.index * cfg.chunk_size * 2
    cols: Cols = {
        "response_id": _pad("R", base + np.arange(len(who)) + 1, 8),
        "customer_id": chunk.ids.take(pa.array(who)),
        "answered_at": _ts(at),
        "primary_goal": _labels(GOALS, _choice_by_flag(rng, b2b, GOAL_P_B2B, GOAL_P_B2C)),
        "main_pain_point": _labels(PAINS, _choice_by_group(rng, persona, PAIN_P)),
        "motivation": _labels(MOTIVATIONS, _choice_by_group(rng, persona, MOTIVATION_P)),
    }
    for name in ("primary_goal", "main_pain_point", "motivation"):
        cols[name] = _messy(rng, cols[name], 0.05)
    orphan, = _disjoint(rng, len(who), [0.01])
    orphan_rows = _take(cols, orphan)
    orphan_rows["response_id"] = _pad("R", base + len(who) + np.arange(len(orphan)) + 1, 8)
    orphan_rows["customer_id"] = _orphan_ids(rng, len(orphan))
    return _concat([cols, orphan_rows])


def make_erasure(chunk: Chunk) -> Cols:
    rng, cfg = chunk.rng, chunk.cfg
    who, = _disjoint(rng, chunk.n, [ERASURE_SHARE])
    at = chunk.signup[who] + (rng.random(len(who)) * (cfg.as_of_end - chunk.signup[who])).astype(np.int64)
    repeat, = _disjoint(rng, len(who), [0.10])
    again = np.minimum(at[repeat] + rng.integers(DAY, 30 * DAY, len(repeat)), cfg.as_of_end)
    unknown = 2 if chunk.n else 0
    return {
        "customer_id": pa.concat_arrays([
            chunk.ids.take(pa.array(who)), chunk.ids.take(pa.array(who[repeat])), _orphan_ids(rng, unknown)]),
        "requested_at": _ts(np.concatenate([at, again, cfg.as_of_end - rng.integers(0, 90 * DAY, unknown)])),
    }


# --- chunk assembly and output --------------------------------------------------
def _slugs(names: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(pc.utf8_lower(pc.replace_substring(names, " ", "-")), "com", ".")


def _table(entity: str, cols: Cols) -> pa.Table:
    return pa.table({name: cols[name] for name in SCHEMAS[entity]})


def iter_chunk(cfg: Config, index: int, n: int) -> Iterator[tuple[str, pa.Table]]:
    """The seven relations for customers [index * chunk_size, + n), one at a time.

    Yielding relation by relation lets the caller write and drop each table
    before the next is built, so peak memory is the largest relation, not the
    sum. The draw order is fixed, so the data never depends on the consumer.
    """
    rng = np.random.default_rng([cfg.seed, index])
    persona = rng.choice(len(PERSONAS), size=n, p=PERSONA_P)
    chunk = Chunk(
        rng=rng, cfg=cfg, index=index,
        ids=_pad("C", index * cfg.chunk_size + np.arange(n) + 1, 8),
        persona=persona,
        b2b=rng.random(n) < B2B_SHARE,
        signup=_signup_seconds(rng, cfg, persona),
        country=rng.choice(len(COUNTRIES), size=n, p=COUNTRY_P),
    )
    numbers = _account_ids(cfg, index, n)
    accounts, employees, account_country = make_accounts(rng, cfg, numbers)
    slugs = _slugs(accounts["account_name"].slice(0, len(numbers)))
    yield "accounts", _table("accounts", accounts)
    del accounts
    # make_customers moves B2B contacts to their account's country in place,
    # so orders drawn afterwards bill in the customer's final currency.
    yield "customers", _table("customers", make_customers(chunk, numbers, employees, account_country, slugs))
    orders = make_orders(chunk)
    yield "orders", _table("orders", orders.cols)
    orders.cols = {}
    yield "events", _table("events", make_events(chunk, orders))
    del orders
    yield "subscriptions", _table("subscriptions", make_subscriptions(chunk))
    yield "survey_responses", _table("survey_responses", make_survey(chunk))
    yield "erasure_requests", _table("erasure_requests", make_erasure(chunk))


def generate_chunk(cfg: Config, index: int, n: int) -> dict[str, pa.Table]:
    """All seven relations of one chunk at once (handy for tests)."""
    return dict(iter_chunk(cfg, index, n))


class CsvSink:
    """One CSV per relation, appended chunk by chunk; NULL is an empty field."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[str, IO[bytes]] = {}
        self.writers: dict[str, pacsv.CSVWriter] = {}

    def write(self, entity: str, index: int, table: pa.Table) -> None:
        if entity not in self.writers:
            # Kept open across chunks and closed in close(): one writer per file.
            handle = open(self.out / f"raw_{entity}.csv", "wb")  # noqa: SIM115
            # pyarrow quotes header names; dbt and humans prefer them bare.
            handle.write((",".join(SCHEMAS[entity]) + "\n").encode())
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self.files[entity] = handle
            self.writers[entity] = pacsv.CSVWriter(handle, table.schema, write_options=options)
        self.writers[entity].write_table(table)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        for handle in self.files.values():
            handle.close()


class ParquetSink:
    """raw_<entity>/part-NNNNN.parquet, one file per chunk, all columns string."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.ready: set[str] = set()

    def write(self, entity: str, index: int, table: pa.Table) -> None:
        folder = self.out / f"raw_{entity}"
        if entity not in self.ready:
            folder.mkdir(parents=True, exist_ok=True)
            # Parts left by an earlier, larger run would silently join the data.
            for stale in folder.glob("part-*.parquet"):
                stale.unlink()
            self.ready.add(entity)
        pq.write_table(table, folder / f"part-{index:05d}.parquet", compression="zstd")

    def close(self) -> None:
        return None


def generate(customers: int, out: Path, fmt: str, cfg: Config) -> dict[str, int]:
    """Write every chunk and return row counts per relation."""
    out.mkdir(parents=True, exist_ok=True)
    sink: CsvSink | ParquetSink = CsvSink(out) if fmt == "csv" else ParquetSink(out)
    rows = dict.fromkeys(SCHEMAS, 0)
    n_chunks = math.ceil(customers / cfg.chunk_size)
    try:
        for index in tqdm(range(n_chunks), desc="chunks", unit="chunk", disable=None):
            n = min(cfg.chunk_size, customers - index * cfg.chunk_size)
            for entity, table in iter_chunk(cfg, index, n):
                sink.write(entity, index, table)
                rows[entity] += table.num_rows
                del table  # before the generator builds the next relation
                pa.default_memory_pool().release_unused()
    finally:
        sink.close()
    return rows


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, default=Path("seeds"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", default="2026-06-30", help="latest clean activity date (YYYY-MM-DD)")
    parser.add_argument("--chunk-size", type=int, default=100_000)
    parser.add_argument("--orders-per-customer", type=float, default=DEFAULT_ORDERS_PER_CUSTOMER)
    parser.add_argument("--event-rows-per-customer", type=float, default=DEFAULT_EVENT_ROWS_PER_CUSTOMER)
    args = parser.parse_args(argv)
    if not 1 <= args.customers < 90_000_000:
        parser.error("--customers must be in [1, 90M): C9xxxxxxx ids are reserved for orphans")
    if args.chunk_size < 1:
        parser.error("--chunk-size must be positive")
    if np.datetime64(args.as_of, "D") <= np.datetime64(START_DATE, "D") + 500:
        parser.error(f"--as-of must be well after {START_DATE}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    cfg = Config(
        seed=args.seed, as_of=args.as_of, chunk_size=args.chunk_size,
        orders_per_customer=args.orders_per_customer,
        event_rows_per_customer=args.event_rows_per_customer,
    )
    rows = generate(args.customers, args.out, args.format, cfg)
    for entity, count in rows.items():
        print(f"raw_{entity}: {count:,} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
