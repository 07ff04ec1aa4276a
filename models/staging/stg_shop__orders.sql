with

base as (

    select * from {{ ref('base_shop__orders') }}

),

final as (

    select
        order_id,
        customer_id,

        order_status,
        currency,
        sales_channel,
        product_category,

        amount,

        ordered_at,
        updated_at
    from base
    where row_disposition = 'staged'

)

select * from final
