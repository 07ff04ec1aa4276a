{#- The source registry: the one place that lists the raw relations the
    package reads, their natural keys, their columns (contract name, kind,
    required or optional), what each may do in place and the customer_360
    fields each feeds. Staging, reconciliation, quarantine, the quality gate,
    docs/source_contract.md (scripts/source_contract.py) and the tests read
    it from here.

    Column kinds, and how a column of that kind is staged:
      key        identifier: text, every kind of whitespace trimmed
      text       free text, trimmed
      email      e-mail address, trimmed and lower-cased
      enum       label: lower snake case ('  Paid Social' -> paid_social)
      code       code: upper case ('gb ' -> GB)
      tool_list  '|'-separated tool names, lower case, no spaces
      number     decimal (dbt.type_numeric)
      integer    whole number (dbt.type_int)
      timestamp  instant, UTC (text, timestamp or timestamp with time zone)
      date       calendar date (text, date or timestamp)
      boolean    true/false/yes/no/y/n/1/0, or a native boolean

    A required column must exist in the relation (a compile error names the
    source, the column and the relation); an optional column may be absent
    and is then NULL. Rename columns with audience_segments_<source>_columns.

    mutability: what the source may do between two runs (append, update,
    delete); see the README, "Sources that change".
    base_model: the model holding every raw row's disposition, when it is
    not base_<source>__<name>; counted_duplicates: duplicates are counted
    in its duplicate_count column rather than stored as rows; counted_erasures:
    erased people's raw rows are counted in the base model's own pass, as
    blank `erased` rows weighted like duplicates (1 + duplicate_count),
    rather than in the source by reconciliation; audit_id: a
    column that names a quarantined row better than the natural key when
    it is set.

    personal: direct for data that names a person (e-mail, names): the first
    model that reads it hashes (e-mail) or drops (names) it, and its raw
    values never appear in a quarantine example; quasi for what identifies
    people in combination (birth date, postal code): never shown as an
    example either. -#}
{% macro source_registry() -%}
{%- set registry_yaml -%}
customers:
  source: crm
  required: true
  description: People (CRM contacts), one row per change.
  natural_key: [customer_id]
  dedup: latest updated_at wins
  mutability: [append, update, delete]
  columns:
    - {name: customer_id, kind: key, required: true}
    - {name: email, kind: email, personal: direct}
    - {name: first_name, kind: text, personal: direct}
    - {name: last_name, kind: text, personal: direct}
    - {name: birth_date, kind: date, personal: quasi}
    - {name: gender, kind: enum}
    - {name: country_code, kind: code}
    - {name: region, kind: text}
    - {name: city, kind: text}
    - {name: postal_code, kind: text, personal: quasi}
    - {name: job_title, kind: text}
    - {name: seniority, kind: enum}
    - {name: acquisition_channel, kind: enum}
    - {name: signed_up_at, kind: timestamp, required: true}
    - {name: marketing_consent, kind: boolean, staged_as: has_marketing_consent}
    - {name: account_id, kind: key}
    - {name: updated_at, kind: timestamp}
  feeds: [customer_id, account_id, email_hash, gender, country_code, region, postal_prefix, market_region,
    seniority, acquisition_channel, age_band, tenure_days, signed_up_at, is_b2b,
    has_email, has_marketing_consent, is_reachable, as_of_date]
accounts:
  source: crm
  description: Companies (B2B accounts), one row per change.
  natural_key: [account_id]
  dedup: latest updated_at wins
  mutability: [append, update, delete]
  columns:
    - {name: account_id, kind: key, required: true}
    - {name: account_name, kind: text}
    - {name: industry, kind: enum}
    - {name: employee_count, kind: integer}
    - {name: annual_revenue, kind: number}
    - {name: country_code, kind: code}
    - {name: tech_stack, kind: tool_list}
    - {name: growth_stage, kind: enum}
    - {name: updated_at, kind: timestamp}
  feeds: [industry, growth_stage, company_size_band, revenue_band, tech_stack, employee_count, annual_revenue,
    count_tools, uses_salesforce, uses_hubspot, uses_slack, uses_snowflake, uses_aws, uses_azure, uses_gcp,
    uses_shopify, uses_sap, uses_zendesk]
orders:
  source: shop
  description: Orders, one row per order version.
  natural_key: [order_id]
  dedup: latest updated_at wins
  mutability: [append, update, delete]
  columns:
    - {name: order_id, kind: key, required: true}
    - {name: customer_id, kind: key, required: true}
    - {name: ordered_at, kind: timestamp, required: true}
    - {name: status, kind: enum, staged_as: order_status}
    - {name: amount, kind: number, required: true}
    - {name: currency, kind: code}
    - {name: sales_channel, kind: enum}
    - {name: product_category, kind: enum}
    - {name: updated_at, kind: timestamp}
  feeds: [count_orders, count_refunded_orders, count_product_categories, count_orders_last_30_days,
    revenue_last_30_days, count_orders_last_90_days, revenue_last_90_days, count_orders_last_180_days,
    revenue_last_180_days, count_orders_last_365_days, revenue_last_365_days, count_orders_last_6_months,
    total_revenue, average_order_value, days_since_last_order, recency_score, frequency_score, monetary_score,
    rfm_cell, lifetime_value, first_order_at, last_order_at, has_abandoned_cart]
events:
  source: product
  description: >-
    Product and marketing events, either one row per event (event_id optional, occurred_at) or
    pre-aggregated per customer, day, event type and feature (event_date, event_count).
  natural_key: [customer_id, event_date, event_type, feature_name]
  dedup: >-
    daily shape: one row per customer, day, event type and feature, the larger count wins; one row per event:
    one row per event_id (per customer, instant, event and feature without one), the first wins
  mutability: [append]
  # Valid rows are stored once per key with duplicate_count; customer
  # checks apply on read, in this view.
  base_model: base_product__events_checked
  counted_duplicates: true
  # Most raw rows are events: counting erased ones in the source again
  # cost 12 s at 1M customers.
  counted_erasures: true
  # A raw event is found by its own id where it has one.
  audit_id: event_id
  columns:
    - {name: event_id, kind: key}
    - {name: customer_id, kind: key, required: true}
    - {name: event_type, kind: enum, required: true}
    - {name: feature_name, kind: enum}
    - {name: occurred_at, kind: timestamp}
    - {name: event_date, kind: date}
    - {name: event_count, kind: integer}
  feeds: [count_active_days_last_30_days, count_active_days_last_90_days, count_logins_last_30_days,
    count_page_views_last_30_days, count_features_adopted_last_90_days, count_add_to_carts_last_30_days,
    count_checkouts_started_last_30_days, count_pricing_page_views_last_14_days, count_demo_requests_last_30_days,
    count_email_opens_last_90_days, count_email_clicks_last_90_days, count_events, engagement_score,
    days_since_last_active, last_active_date, has_abandoned_cart, has_intent_signal]
subscriptions:
  source: billing
  description: Subscriptions, one row per version.
  natural_key: [subscription_id]
  dedup: latest updated_at wins
  mutability: [append, update, delete]
  columns:
    - {name: subscription_id, kind: key, required: true}
    - {name: customer_id, kind: key, required: true}
    - {name: plan, kind: enum, staged_as: plan_name}
    - {name: trial_started_at, kind: timestamp}
    - {name: started_at, kind: timestamp}
    - {name: cancelled_at, kind: timestamp}
    - {name: mrr, kind: number}
    - {name: status, kind: enum, staged_as: subscription_status}
    - {name: updated_at, kind: timestamp}
  feeds: [current_plan_name, current_subscription_status, count_subscriptions, current_mrr, lifetime_value,
    first_trial_started_at, first_subscription_started_at, last_cancelled_at]
survey_responses:
  source: survey
  description: Needs-survey answers; a customer may answer more than once.
  natural_key: [response_id]
  dedup: latest answered_at wins
  mutability: [append, update, delete]
  columns:
    - {name: response_id, kind: key, required: true}
    - {name: customer_id, kind: key, required: true}
    - {name: answered_at, kind: timestamp, required: true}
    - {name: primary_goal, kind: enum}
    - {name: main_pain_point, kind: enum}
    - {name: motivation, kind: enum}
  feeds: [primary_goal, main_pain_point, motivation, survey_answered_at]
erasure_requests:
  source: privacy
  description: GDPR erasure (right to be forgotten) requests.
  natural_key: [customer_id]
  # The base model keeps the requesting id only as a keyed hash.
  audit_key: customer_key_hash
  dedup: first request wins
  mutability: [append, update, delete]
  columns:
    - {name: customer_id, kind: key, required: true}
    - {name: requested_at, kind: timestamp}
  feeds: []
fx_rates:
  source: finance
  default_enabled: with_demo_seeds
  description: >-
    Exchange rates to the reporting currency, one row per currency and day
    (optional: without it the static audience_segments_fx_rates var applies).
  natural_key: [currency, rate_date]
  dedup: latest row wins
  mutability: [append, update, delete]
  columns:
    - {name: currency, kind: code, required: true}
    - {name: rate_date, kind: date, required: true}
    - {name: rate, kind: number, required: true}
  feeds: []
{%- endset -%}
{{ return(fromyaml(registry_yaml)) }}
{%- endmacro %}


{#- Contract columns flagged personal (direct or quasi) in the registry, of
    one source or of all; `level` keeps one kind only. -#}
{% macro personal_columns(name=none, level=none) -%}
    {%- set found = [] -%}
    {%- for source_name, entry in audience_segments.source_registry().items() if name is none or source_name == name -%}
        {%- for spec in entry.columns if spec.get('personal') and (level is none or spec.personal == level) -%}
            {%- if spec.name not in found %}{% do found.append(spec.name) %}{% endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{#- The model that holds the disposition of every raw row of a source. -#}
{% macro disposition_model(name) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {{ return(entry.get('base_model', 'base_' ~ entry.source ~ '__' ~ name)) }}
{%- endmacro %}


{#- One registry entry by name; an unknown name is a programming error. -#}
{% macro registry_source(name) -%}
    {%- set registry = audience_segments.source_registry() -%}
    {%- if name not in registry -%}
        {{ exceptions.raise_compiler_error(
            "audience_segments: unknown source '" ~ name ~ "'; the registry has: " ~ registry.keys() | join(', ')
        ) }}
    {%- endif -%}
    {{ return(registry[name]) }}
{%- endmacro %}


{#- True when the source is switched on: audience_segments_using_<source>
    (customers cannot be switched off). Fivetran's `<package>__using_<x>`
    habit, spelled with the package's var prefix. -#}
{% macro using_source(name) -%}
    {%- set entry = audience_segments.registry_source(name) -%}
    {%- if entry.get('required') -%}
        {%- if var('audience_segments_using_' ~ name, true) is false -%}
            {{ exceptions.raise_compiler_error(
                'audience_segments_using_' ~ name ~ ': the ' ~ name ~ ' source is required and cannot be switched off'
            ) }}
        {%- endif -%}
        {{ return(true) }}
    {%- endif -%}
    {#- with_demo_seeds: on when the package runs on its own demo seeds, off
        for your own tables unless you switch it on. -#}
    {%- set default = entry.get('default_enabled', true) -%}
    {%- if default == 'with_demo_seeds' -%}
        {%- set default = var('audience_segments_use_demo_seeds', true) and not var('audience_segments_external_root', none) -%}
    {%- endif -%}
    {%- set value = var('audience_segments_using_' ~ name, default) -%}
    {%- if value is not boolean -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_using_' ~ name ~ ' must be true or false, got ' ~ value
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{#- The registry entries of the switched-on sources, each with its name. -#}
{% macro enabled_sources() -%}
    {%- set enabled = [] -%}
    {%- for name, entry in audience_segments.source_registry().items()
        if audience_segments.using_source(name) -%}
        {%- do enabled.append(dict(entry, name=name)) -%}
    {%- endfor -%}
    {{ return(enabled) }}
{%- endmacro %}


{#- customer_360 fields with no switched-on source to feed them, each with
    the switched-off sources that would: {field: [source, ...]}. A field fed
    by several sources stays available while one of them is on. -#}
{% macro disabled_source_fields() -%}
    {%- set feeders = {} -%}
    {%- for name, entry in audience_segments.source_registry().items() -%}
        {%- for field in entry.get('feeds', []) -%}
            {%- do feeders.update({field: feeders.get(field, []) + [name]}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set enabled = audience_segments.enabled_sources() | map(attribute='name') | list -%}
    {%- set disabled = {} -%}
    {%- for field, sources in feeders.items() -%}
        {%- set on = sources | select('in', enabled) | list -%}
        {%- if on | length == 0 -%}
            {%- do disabled.update({field: sources}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(disabled) }}
{%- endmacro %}
