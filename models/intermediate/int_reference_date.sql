with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

events as (

    select * from {{ ref('stg_product__events') }}

),

customers as (

    select * from {{ ref('int_customers') }}

),

activity as (

    {#- Staged orders and events are of staged customers only (orphans are
        quarantined) and erased people never reach staging, so their
        activity cannot move everyone's windows. -#}
    select max(cast(orders.ordered_at as date)) as activity_date from orders
    union all
    select max(events.event_date) as activity_date from events
    union all
    select max(cast(customers.signed_up_at as date)) as activity_date from customers

),

final as (

    {#- Windows count back from the latest valid activity, not from today, so a
        rebuild of the same data gives the same segments next year. -#}
    {#- An aggregate in both branches, so the pinned date is one row too. -#}
    select
        {% if audience_segments.configured_as_of_date() -%}
            max(cast('{{ audience_segments.configured_as_of_date() }}' as date))
        {%- else -%}
            max(activity_date)
        {%- endif %} as as_of_date
    from activity

)

select * from final
