{%- if audience_segments.using_source('survey_responses') %}

    with

    base as (

        select * from {{ ref('base_survey__survey_responses') }}

    ),

    final as (

        select
            response_id,
            customer_id,

            primary_goal,
            main_pain_point,
            motivation,

            answered_at
        from base
        where row_disposition = 'staged'

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
