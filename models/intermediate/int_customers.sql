with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

erasure_requests as (

    select * from {{ ref('stg_privacy__erasure_requests') }}

),

final as (

    {#- The person spine of every mart: staged customers minus anyone who asked
        to be forgotten. -#}
    select customers.*
    from customers
    left join erasure_requests
        on customers.customer_id = erasure_requests.customer_id
    where erasure_requests.customer_id is null

)

select * from final
