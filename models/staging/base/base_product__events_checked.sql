{{ config(enabled=audience_segments.using_source('events'), materialized='view') }}

{#- base_product__events with the customer checks applied: a staged event
    key whose customer is not a staged customer is quarantined as
    orphan_customer, one dated before the customer's signup as
    before_signup; the blank `erased` rows pass as they are. Applied on
    read, so that the incremental events table never depends on customers
    (a customer who arrives or whose signup moves changes these verdicts
    without re-reading any event). -#}

with

events as (

    select * from {{ ref('base_product__events') }}

),

customers as (

    select * from {{ ref('base_crm__customers') }}

),

valid_customers as (

    select
        customer_id,
        signed_up_at
    from customers
    where row_disposition = 'staged'

),

checked as (

    select
        events.*,
        case
            when events.row_disposition <> 'staged' then events.quarantine_reason
            when valid_customers.customer_id is null then 'orphan_customer'
            when events.event_date < cast(valid_customers.signed_up_at as date) then 'before_signup'
        end as checked_reason
    from events
    left join valid_customers
        on events.customer_id = valid_customers.customer_id

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
        duplicate_count,
        checked_reason as quarantine_reason,
        case
            when row_disposition <> 'staged' then quarantine_column
            when checked_reason = 'orphan_customer' then 'customer_id'
            when checked_reason = 'before_signup' then 'event_date'
        end as quarantine_column,
        case
            when row_disposition <> 'staged' then quarantine_value
            when checked_reason = 'orphan_customer' then customer_id
            when checked_reason = 'before_signup' then cast(event_date as {{ dbt.type_string() }})
        end as quarantine_value,
        case
            when row_disposition <> 'staged' then source_row_id
            when checked_reason is not null then {{ audience_segments.surrogate_key([
                'event_id', 'customer_id', 'event_type', 'feature_name', 'occurred_at', 'event_date'
            ]) }}
        end as source_row_id,
        case
            when row_disposition = 'erased' then 'erased'
            when checked_reason is null then 'staged'
            else 'quarantined'
        end as row_disposition
    from checked

)

select * from final
