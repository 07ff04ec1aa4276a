-- The overridden named rule (high tier = monetary 4-5) decides
-- high_value_enterprise: no member below 4, and score-4 members exist.
with

members as (

    select customers.monetary_score
    from {{ ref('segment_assignments') }} as assignments
    inner join {{ ref('customer_360') }} as customers
        on assignments.customer_id = customers.customer_id
    where
        assignments.scheme_name = 'campaign_targets'
        and assignments.segment_name = 'high_value_enterprise'

),

checks as (

    select
        count(case when monetary_score < 4 then 1 end) as below_tier,
        count(case when monetary_score = 4 then 1 end) as score_four
    from members

)

select * from checks
where below_tier > 0 or score_four = 0
