{%- if audience_segments.using_source('accounts') %}

    with

    base as (

        select * from {{ ref('base_crm__accounts') }}

    ),

    final as (

        select
            account_id,

            account_name,
            industry,
            country_code,
            growth_stage,
            tech_stack,

            employee_count,
            annual_revenue,

            updated_at
        from base
        where row_disposition = 'staged'

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
