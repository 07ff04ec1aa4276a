with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

windowed as (

    {#- Only completed orders count as purchases; refunds, cancellations and
        pending orders are counted apart. Activity after the reference date
        is ignored so a pinned as-of date reproduces a past run. -#}
    select
        orders.customer_id,
        orders.order_status,
        orders.amount,
        orders.product_category,
        orders.ordered_at,
        {{ dbt.datediff(
            'cast(orders.ordered_at as date)',
            'reference_date.as_of_date',
            'day'
        ) }} as days_ago,
        cast(orders.ordered_at as date)
        > {{ dbt.dateadd('month', -6, 'reference_date.as_of_date') }}
            as is_in_last_6_months
    from orders
    cross join reference_date
    where cast(orders.ordered_at as date) <= reference_date.as_of_date

),

final as (

    select
        customer_id,

        count(distinct case when order_status = 'completed' then product_category end)
            as count_product_categories,

        count(case when order_status = 'completed' then 1 end) as count_orders,
        count(case when order_status = 'refunded' then 1 end) as count_refunded_orders,
        {% for days in [30, 90, 180, 365] %}
            count(case when order_status = 'completed' and days_ago < {{ days }} then 1 end)
                as count_orders_last_{{ days }}_days,
            cast(
                coalesce(
                    sum(case when order_status = 'completed' and days_ago < {{ days }} then amount end), 0
                ) as {{ dbt.type_numeric() }}
            ) as revenue_last_{{ days }}_days,
        {% endfor %}
        count(case when order_status = 'completed' and is_in_last_6_months then 1 end)
            as count_orders_last_6_months,
        cast(coalesce(sum(case when order_status = 'completed' then amount end), 0) as {{ dbt.type_numeric() }})
            as total_revenue,
        cast(avg(case when order_status = 'completed' then amount end) as {{ dbt.type_numeric() }})
            as average_order_value,
        min(case when order_status = 'completed' then days_ago end)
            as days_since_last_order,

        min(case when order_status = 'completed' then ordered_at end)
            as first_order_at,
        max(case when order_status = 'completed' then ordered_at end)
            as last_order_at

    from windowed
    group by customer_id

)

select * from final
