{#- Events arrive in one of two shapes, told apart by their columns:
    daily aggregates (event_count per customer, event_date, event type and
    feature) or one row per event (occurred_at, optional event_id).

    Lean by design, because events are most of the raw rows: one aggregate
    pass over the source stores valid rows once per natural key with
    `duplicate_count` (no hash, no id) and quarantined rows once per
    distinct raw row (exact copies counted in `duplicate_count`), and only
    quarantined rows are hashed into a row id. The source is read once:
    splitting valid and quarantined rows into two branches made DuckDB
    materialise every typed row first, which cost more than the aggregate.
    The checks here do not depend on the
    customer, so the table is append-only and incremental by day:
    customer checks (orphan_customer, before_signup) are applied on read in
    base_product__events_checked.

    Incremental (delete+insert by `_window_date`): a run re-reads every raw
    row whose day is within audience_segments_incremental_lookback_days of
    the latest stored day, or in the future, or unreadable (stored under
    9999-12-31), and replaces those days whole. See
    macros/incremental/incremental_window.sql.

    Erased people's raw rows (is_erased) leave every value behind: each day
    keeps one blank `erased` row whose duplicate_count counts them, so
    reconciliation counts erasures in this pass instead of re-reading the
    source. Rows stored before a request, outside the days a run replaces,
    are converted to the same per-day rows by the post-hook
    (erase_stored_events), so an incremental run equals a full refresh. -#}
{{ config(
    enabled=audience_segments.using_source('events'),
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='_window_date',
    on_schema_change='fail',
    post_hook="{{ audience_segments.erase_stored_events(this) }}"
) }}

{%- set columns = audience_segments.source_columns('events') %}
{%- set is_daily = 'event_count' in columns or not execute %}
{%- set instant = 'event_date' if is_daily or 'occurred_at' not in columns else 'occurred_at' %}
{%- set present = audience_segments.present_contract_columns('events') %}
{%- set raw_columns = present + ([] if instant in present else [instant]) %}
{%- set unreadable_day = "cast('9999-12-31' as date)" %}
{%- set values = [
    'event_id', 'customer_id', 'event_type', 'feature_name', 'occurred_at', 'event_date', 'event_count', '_window_date'
] %}
{#- Valid rows group by the natural key of their shape; a quarantined row
    also by its raw values, so distinct bad rows stay apart. -#}
{%- if is_daily %}
    {%- set shape_key = ['customer_id', 'event_date', 'event_type', 'feature_name'] %}
{%- elif 'event_id' in columns %}
    {%- set shape_key = ['_event_key'] %}
{%- else %}
    {%- set shape_key = ['customer_id', 'occurred_at', 'event_type', 'feature_name'] %}
{%- endif %}
{%- set raw_key = [] %}
{%- for column in raw_columns %}{% do raw_key.append('_raw__' ~ column) %}{% endfor %}
{%- set hashed = [] %}
{%- for column in present %}{% do hashed.append('_raw__' ~ column) %}{% endfor %}
{#- An erased row keeps only its day, so a day's erased rows group as one. -#}
{%- set group_key = shape_key + ['_erased_day', 'quarantine_reason'] + raw_key %}

with

source as (

    select * from {{ audience_segments.source_relation('events') }}

),

dated as (

    select
        source.*,
        coalesce(
            cast({{ audience_segments.source_column('events', instant, columns) }} as date),
            {{ unreadable_day }}
        ) as _window_date
    from source

),

{% if is_incremental() %}

    window_start as (

        {{ audience_segments.incremental_window_start(this) }}

    ),

    source_batch as (

        select dated.*
        from dated
        cross join window_start
        where dated._window_date >= window_start.window_start

    ),

{% else %}

    source_batch as (

        select * from dated

    ),

{% endif %}

typed as (

    {{ audience_segments.typed_source(
        'events', 'source_batch', raw=raw_columns, passthrough=['_window_date'], hash=false
    ) }}

),

checked as (

    select
        *,
        case
            when customer_id is null then 'missing_key'
            when event_type is null then 'missing_event_type'
            when {{ 'event_count is null or event_count <= 0' if is_daily else 'false' }}
                then 'invalid_count'
            when {{ audience_segments.clean_text('_raw__' ~ instant) }} is null then 'missing_timestamp'
            when {{ instant }} is null then 'unparseable_timestamp'
            when _window_date > cast({{ audience_segments.max_valid_timestamp() }} as date)
                then 'future_timestamp'
        end as quarantine_reason,
        {#- On the typed id, so the run's batch alone pays for the check. #}
        {{ audience_segments.is_erased('customer_id') }} as _erased
    from typed

),

keyed as (

    select
        case when not _erased then event_id end as event_id,
        case when not _erased then customer_id end as customer_id,
        case when not _erased then event_type end as event_type,
        case when not _erased then feature_name end as feature_name,
        case when not _erased then occurred_at end as occurred_at,
        {#- A valid row's day is its window day; a quarantined one keeps
            what it parsed to, possibly nothing. -#}
        case
            when _erased then null
            when quarantine_reason is null then _window_date
            else {{ 'event_date' if instant == 'event_date' else 'cast(occurred_at as date)' }}
        end as event_date,
        case
            when not _erased then {{ 'event_count' if is_daily else 'cast(1 as ' ~ dbt.type_int() ~ ')' }}
        end as event_count,
        {%- if shape_key == ['_event_key'] %}
            {#- A re-delivered event id is one event: the first delivery wins.
                Events without an id are keyed by their content. -#}
            case when not _erased then coalesce(event_id, {{ audience_segments.surrogate_key(
                ['customer_id', 'occurred_at', 'event_type', 'feature_name']) }}) end as _event_key,
        {%- endif %}
        _window_date,
        case when _erased then _window_date end as _erased_day,
        case when not _erased then quarantine_reason end as quarantine_reason,
        {%- for column in raw_columns %}
            case when quarantine_reason is not null and not _erased then _raw__{{ column }} end as _raw__{{ column }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from checked

),

grouped as (

    {% if shape_key == ['_event_key'] -%}
        {{ audience_segments.first_row_per_key(
            'keyed',
            group_key,
            ['occurred_at', 'customer_id', 'event_type', 'feature_name', 'event_id'],
            values | reject('in', shape_key) | list
        ) }}
    {%- else -%}
        {#- In the daily shape a key delivered twice is a double load, not
            two facts: the larger count wins, so a partial first delivery
            never does. -#}
        select
            {{ group_key | join(', ') }},
            {%- for column in values if column not in shape_key %}
                max({{ column }}) as {{ column }},
            {%- endfor %}
            count(*) - 1 as duplicate_count
        from keyed
        group by {{ group_key | join(', ') }}
    {%- endif %}

),

final as (

    select
        event_id,
        customer_id,
        event_type,
        feature_name,
        occurred_at,
        event_date,
        event_count,
        cast(duplicate_count as {{ dbt.type_int() }}) as duplicate_count,
        _window_date,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'customer_id',
            'missing_event_type': 'event_type',
            'invalid_count': 'event_count',
            'missing_timestamp': instant,
            'unparseable_timestamp': instant,
            'future_timestamp': instant,
        }, raw=raw_columns) }},
        {#- The same hash as typed_source's row hash, for quarantined rows only. -#}
        case
            when _erased_day is not null then {{ audience_segments.erased_day_row_id('_erased_day') }}
            when quarantine_reason is not null then {{ audience_segments.surrogate_key(hashed or ["''"]) }}
        end as source_row_id,
        cast(case
            when _erased_day is not null then 'erased'
            when quarantine_reason is null then 'staged'
            else 'quarantined'
        end as {{ dbt.type_string() }}) as row_disposition
    from grouped

)

select * from final
