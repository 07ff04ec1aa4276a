{%- if audience_segments.using_source('events') %}

    {#- Both source shapes end as one row per customer, day, event type and
        feature: raw events are counted here, daily aggregates pass. -#}
    {%- set is_daily = 'event_count' in audience_segments.source_columns('events') or not execute %}

    with

    base as (

        select * from {{ ref('base_product__events_checked') }}

    ),

    staged as (

        select
            customer_id,
            event_type,
            feature_name,
            event_count,
            event_date
        from base
        where row_disposition = 'staged'

    ),

    per_day as (

        {% if is_daily -%}
            select * from staged
        {%- else -%}
            select
                customer_id,
                event_type,
                feature_name,
                cast(sum(event_count) as {{ dbt.type_bigint() }}) as event_count,
                event_date
            from staged
            group by customer_id, event_type, feature_name, event_date
        {%- endif %}

    ),

    final as (

        select
            customer_id,

            event_type,
            {{ audience_segments.event_signal('event_type') }} as signal_kind,
            feature_name,

            cast(event_count as {{ dbt.type_bigint() }}) as event_count,

            event_date
        from per_day

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
