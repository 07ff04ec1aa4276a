{#- Events arrive in one of two shapes, told apart by their columns:
    daily aggregates (event_count per customer, event_date, event type and
    feature) or one row per event (occurred_at, optional event_id).

    Lean by design, because events are most of the raw rows: valid rows are
    deduplicated with an aggregate on the natural key and stored once per
    key with `duplicate_count` (no hash, no id); only quarantined rows are
    kept whole, with a row id. The checks here do not depend on the
    customer, so the table is append-only and incremental by day:
    customer checks (orphan_customer, before_signup) are applied on read in
    base_product__events_checked.

    Incremental (delete+insert by `_window_date`): a run re-reads every raw
    row whose day is within audience_segments_incremental_lookback_days of
    the latest stored day, or in the future, or unreadable (stored under
    9999-12-31), and replaces those days whole. See
    macros/incremental/incremental_window.sql. -#}
{{ config(
    enabled=audience_segments.using_source('events'),
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='_window_date',
    on_schema_change='fail'
) }}

{%- set columns = audience_segments.source_columns('events') %}
{%- set is_daily = 'event_count' in columns or not execute %}
{%- set instant = 'event_date' if is_daily or 'occurred_at' not in columns else 'occurred_at' %}
{%- set raw_columns = [instant] + (['event_count'] if is_daily else []) %}
{%- set unreadable_day = "cast('9999-12-31' as date)" %}
{%- set output_columns = [
    'event_id', 'customer_id', 'event_type', 'feature_name', 'occurred_at', 'event_date',
    'event_count', 'duplicate_count', '_window_date', 'quarantine_reason', 'quarantine_column',
    'quarantine_value', 'source_row_id', 'row_disposition'
] %}

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

    {{ audience_segments.typed_source('events', 'source_batch', raw=raw_columns, passthrough=['_window_date']) }}

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
        end as quarantine_reason
    from typed

),

valid as (

    select
        event_id,
        customer_id,
        event_type,
        feature_name,
        occurred_at,
        _window_date as event_date,
        {{ 'event_count' if is_daily else 'cast(1 as ' ~ dbt.type_int() ~ ')' }} as event_count
    from checked
    where quarantine_reason is null

),

deduplicated as (

    {% if is_daily -%}
        {#- A key delivered twice is a double load, not two facts: keep the
            larger count so a partial first delivery never wins. -#}
        select
            customer_id,
            event_date,
            event_type,
            feature_name,
            max(event_id) as event_id,
            max(occurred_at) as occurred_at,
            max(event_count) as event_count,
            count(*) - 1 as duplicate_count
        from valid
        group by customer_id, event_date, event_type, feature_name
    {%- elif 'event_id' in columns -%}
        {#- A re-delivered event id is one event: the first delivery wins.
            Events without an id are keyed by their content. -#}
        {{ audience_segments.first_row_per_key(
            '(select *, coalesce(event_id, ' ~ audience_segments.surrogate_key(
                ['customer_id', 'occurred_at', 'event_type', 'feature_name']) ~ ') as _event_key from valid) as keyed',
            ['_event_key'],
            ['occurred_at', 'customer_id', 'event_type', 'feature_name', 'event_id'],
            ['event_id', 'customer_id', 'event_type', 'feature_name', 'occurred_at', 'event_date', 'event_count']
        ) }}
    {%- else -%}
        select
            customer_id,
            occurred_at,
            event_type,
            feature_name,
            max(event_id) as event_id,
            max(event_date) as event_date,
            max(event_count) as event_count,
            count(*) - 1 as duplicate_count
        from valid
        group by customer_id, occurred_at, event_type, feature_name
    {%- endif %}

),

staged as (

    select
        event_id,
        customer_id,
        event_type,
        feature_name,
        occurred_at,
        event_date,
        event_count,
        cast(duplicate_count as {{ dbt.type_int() }}) as duplicate_count,
        event_date as _window_date,
        cast(null as {{ dbt.type_string() }}) as quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as quarantine_column,
        cast(null as {{ dbt.type_string() }}) as quarantine_value,
        cast(null as {{ dbt.type_string() }}) as source_row_id,
        cast('staged' as {{ dbt.type_string() }}) as row_disposition
    from deduplicated

),

copies as (

    select
        *,
        row_number() over (partition by _row_hash order by _row_hash) as copy_number
    from checked
    where quarantine_reason is not null

),

quarantined as (

    {#- Kept whole, one row per raw row: the second and later exact copies
        get their copy number appended to the row hash. -#}
    select
        event_id,
        customer_id,
        event_type,
        feature_name,
        occurred_at,
        {{ 'event_date' if instant == 'event_date' else 'cast(occurred_at as date)' }} as event_date,
        event_count,
        cast(0 as {{ dbt.type_int() }}) as duplicate_count,
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
        case
            when copy_number = 1 then _row_hash
            else {{ dbt.concat(['_row_hash', "'-'", 'cast(copy_number as ' ~ dbt.type_string() ~ ')']) }}
        end as source_row_id,
        cast('quarantined' as {{ dbt.type_string() }}) as row_disposition
    from copies

),

final as (

    select {{ output_columns | join(', ') }} from staged
    union all
    select {{ output_columns | join(', ') }} from quarantined

)

select * from final
