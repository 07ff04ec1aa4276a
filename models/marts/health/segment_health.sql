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

measured as (

    {#- Segments with no member still get a row (member_count 0), so a
        segment that disappears shows up here as 'empty'. -#}
    select
        definitions.segment_id,
        definitions.scheme_name,
        definitions.segment_name,
        definitions.scheme_version,
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
        definitions.min_segment_share,
        definitions.max_segment_share,
        definitions.is_fallback
    from definitions
    inner join audiences
        on definitions.scheme_name = audiences.scheme_name
    left join members
        on
            definitions.scheme_name = members.scheme_name
            and definitions.segment_name = members.segment_name

),

checked as (

    {#- The one definition of segment size health: the min_size and
        max_share dbt tests read these flags (tests/generic/
        segment_health_tests.sql). Only rule segments have a minimum; any
        segment, the fallback included, can be too large. -#}
    select
        *,
        not is_fallback and member_count < min_segment_size as is_below_min_size,
        not is_fallback and member_share < min_segment_share as is_below_min_share,
        member_share >= max_segment_share as is_at_max_share
    from measured

),

final as (

    select
        segment_id,
        scheme_name,
        segment_name,
        scheme_version,
        case
            when member_count = 0 and not is_fallback then 'empty'
            when is_below_min_size or is_below_min_share then 'too_small'
            when is_at_max_share then 'too_large'
            else 'ok'
        end as health_status,
        segment_priority,
        member_count,
        audience_count,
        member_share,
        reachable_share,
        buyers_last_90_days_share,
        average_lifetime_value,
        average_engagement_score,
        reachable_lifetime_value,
        min_segment_size,
        min_segment_share,
        max_segment_share,
        is_fallback,
        is_below_min_size,
        is_below_min_share,
        is_at_max_share
    from checked

)

select * from final
