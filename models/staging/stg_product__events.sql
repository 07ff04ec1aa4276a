with

base as (

    select * from {{ ref('base_product__events') }}

),

final as (

    select
        event_day_id,
        customer_id,

        event_type,
        feature_name,

        event_count,

        event_date
    from base
    where row_disposition = 'staged'

)

select * from final
