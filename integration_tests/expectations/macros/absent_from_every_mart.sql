{#- Customers in seeds/expected/expected_absent_customers.csv (quarantined
    or erased) are in no mart. Returns one row per mart that still has one. -#}
{% test absent_from_every_mart(model) %}
with

absent as (

    select * from {{ model }}

),

customers as (

    select * from {{ ref('customer_360') }}

),

assignments as (

    select * from {{ ref('segment_assignments') }}

),

memberships as (

    select * from {{ ref('segment_memberships') }}

),

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

found as (

    select
        'customer_360' as mart_name,
        customer_id
    from customers
    union all
    select
        'segment_assignments' as mart_name,
        customer_id
    from assignments
    union all
    select
        'segment_memberships' as mart_name,
        customer_id
    from memberships
    union all
    select
        'customer_segments' as mart_name,
        customer_id
    from customer_segments

),

final as (

    select distinct
        found.mart_name,
        absent.customer_id,
        absent.why
    from absent
    inner join found
        on absent.customer_id = found.customer_id

)

select * from final
{% endtest %}
