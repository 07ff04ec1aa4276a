with

source as (

    select * from {{ audience_segments.raw_source('crm', 'accounts') }}

),

typed as (

    select
        {{ audience_segments.clean_text('account_id') }} as account_id,

        {{ audience_segments.clean_text('account_name') }} as account_name,
        {{ audience_segments.normalise_enum('industry') }} as industry,
        upper({{ audience_segments.clean_text('country_code') }}) as country_code,
        {{ audience_segments.normalise_enum('growth_stage') }} as growth_stage,
        lower(replace({{ audience_segments.clean_text('tech_stack') }}, ' ', ''))
            as tech_stack,

        {{ audience_segments.safe_cast(audience_segments.clean_text('employee_count'), dbt.type_int()) }}
            as employee_count,
        {{ audience_segments.safe_cast(audience_segments.clean_text('annual_revenue'), dbt.type_numeric()) }}
            as annual_revenue,

        {{ audience_segments.safe_cast(audience_segments.clean_text('updated_at'), dbt.type_timestamp()) }}
            as updated_at,

        {{ audience_segments.clean_text('employee_count') }} as employee_count_raw,
        {{ audience_segments.surrogate_key([
            'account_id', 'account_name', 'industry', 'employee_count',
            'annual_revenue', 'country_code', 'tech_stack', 'growth_stage',
            'updated_at'
        ]) }} as _row_hash

    from source

),

validated as (

    select
        *,
        case
            when account_id is null then 'missing_key'
            when employee_count_raw is not null and employee_count is null
                then 'unparseable_number'
            when employee_count < 0 or annual_revenue < 0
                then 'negative_firmographics'
        end as quarantine_reason
    from typed

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'account_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
