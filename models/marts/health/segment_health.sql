with

definitions as (

    select * from {{ ref('segment_definitions') }}

),

assignments as (

    select * from {{ ref('segment_assignments') }}

),

customers as (

    select * from {{ ref('customer_360') }}

),

members as (

    select
        assignments.scheme_name,
        assignments.segment_name,
        count(*) as member_count,
        count(case when customers.is_reachable then 1 end) as reachable_count,
        count(case when customers.count_orders_last_90_days > 0 then 1 end)
            as buyers_last_90_days_count,
        avg(customers.lifetime_value) as average_lifetime_value,
        avg(customers.engagement_score) as average_engagement_score,
        sum(case when customers.is_reachable then customers.lifetime_value else 0 end)
            as reachable_lifetime_value
    from assignments
    inner join customers
        on assignments.customer_id = customers.customer_id
    group by assignments.scheme_name, assignments.segment_name

),

audiences as (

    select
        scheme_name,
        sum(member_count) as audience_count
    from members
    group by scheme_name

),

final as (

    {#- Segments with no member still get a row (member_count 0), so a
        segment that disappears shows up here as 'empty'. -#}
    select
        definitions.segment_id,
        definitions.scheme_name,
        definitions.segment_name,
        definitions.scheme_version,
        case
            when coalesce(members.member_count, 0) = 0 and not definitions.is_fallback
                then 'empty'
            when
                not definitions.is_fallback
                and coalesce(members.member_count, 0) < definitions.min_segment_size
                then 'too_small'
            when
                coalesce(members.member_count, 0) * 1.0 / audiences.audience_count
                >= definitions.max_segment_share
                then 'too_large'
            else 'ok'
        end as health_status,
        definitions.segment_priority,
        coalesce(members.member_count, 0) as member_count,
        audiences.audience_count,
        coalesce(members.member_count, 0) * 1.0 / audiences.audience_count
            as member_share,
        coalesce(members.reachable_count, 0) * 1.0
        / nullif(members.member_count, 0) as reachable_share,
        coalesce(members.buyers_last_90_days_count, 0) * 1.0
        / nullif(members.member_count, 0) as buyers_last_90_days_share,
        members.average_lifetime_value,
        members.average_engagement_score,
        coalesce(members.reachable_lifetime_value, 0) as reachable_lifetime_value,
        definitions.min_segment_size,
        definitions.max_segment_share,
        definitions.is_fallback
    from definitions
    inner join audiences
        on definitions.scheme_name = audiences.scheme_name
    left join members
        on
            definitions.scheme_name = members.scheme_name
            and definitions.segment_name = members.segment_name

)

select * from final
