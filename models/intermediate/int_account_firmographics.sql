with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

final as (

    select
        account_id,

        account_name,
        industry,
        growth_stage,
        tech_stack,
        {{ audience_segments.company_size_band('employee_count') }}
            as company_size_band,
        {{ audience_segments.revenue_band('annual_revenue') }} as revenue_band,

        employee_count,
        annual_revenue,
        {% for tool in audience_segments.tracked_tools() %}
            {{ audience_segments.uses_tool('tech_stack', tool) }} as uses_{{ tool }},
        {% endfor %}
        case
            when tech_stack is null then 0
            else
                {{ dbt.length('tech_stack') }}
                - {{ dbt.length(dbt.replace('tech_stack', "'|'", "''")) }}
                + 1
        end as count_tools

    from accounts

)

select * from final
