with

responses as (

    select * from {{ ref('stg_survey__survey_responses') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

ranked as (

    {#- Needs change; the latest answer up to the reference date is the
        current one. -#}
    select
        responses.*,
        row_number() over (
            partition by responses.customer_id
            order by responses.answered_at desc, responses.response_id desc
        ) as answer_rank
    from responses
    cross join reference_date
    where
        cast(responses.answered_at as date) <= reference_date.as_of_date
        and {{ audience_segments.in_population('responses.customer_id') }}

),

final as (

    select
        customer_id,
        response_id as latest_response_id,
        primary_goal,
        main_pain_point,
        motivation,
        answered_at as survey_answered_at
    from ranked
    where answer_rank = 1

)

select * from final
