with

order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

buyers as (

    {#- RFM ranks buyers against buyers: a customer with no completed order
        has no R, F or M score (NULL), not a bad one. -#}
    select *
    from order_facts
    where count_orders > 0

),

scored as (

    select
        customer_id,
        {{ audience_segments.quintile_score('days_since_last_order', better='lower') }}
            as recency_score,
        {{ audience_segments.quintile_score('count_orders', better='higher') }}
            as frequency_score,
        {{ audience_segments.quintile_score('total_revenue', better='higher') }}
            as monetary_score
    from buyers

),

final as (

    select
        customer_id,
        recency_score,
        frequency_score,
        monetary_score,
        {{ dbt.concat([
            audience_segments.safe_cast('recency_score', dbt.type_string()),
            audience_segments.safe_cast('frequency_score', dbt.type_string()),
            audience_segments.safe_cast('monetary_score', dbt.type_string())
        ]) }} as rfm_cell
    from scored

)

select * from final
