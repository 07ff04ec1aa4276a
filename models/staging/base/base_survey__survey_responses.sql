with

source as (

    select * from {{ audience_segments.raw_source('survey', 'survey_responses') }}

),

customers as (

    select * from {{ ref('base_crm__customers') }}

),

valid_customers as (

    select customer_id
    from customers
    where row_disposition = 'staged'

),

typed as (

    select
        {{ audience_segments.clean_text('response_id') }} as response_id,
        {{ audience_segments.clean_text('customer_id') }} as customer_id,

        {{ audience_segments.normalise_enum('primary_goal') }} as primary_goal,
        {{ audience_segments.normalise_enum('main_pain_point') }}
            as main_pain_point,
        {{ audience_segments.normalise_enum('motivation') }} as motivation,

        {{ audience_segments.safe_cast(audience_segments.clean_text('answered_at'), dbt.type_timestamp()) }}
            as answered_at,

        {{ audience_segments.surrogate_key([
            'response_id', 'customer_id', 'answered_at', 'primary_goal',
            'main_pain_point', 'motivation'
        ]) }} as _row_hash

    from source

),

validated as (

    select
        typed.*,
        case
            when typed.response_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when typed.answered_at is null then 'missing_timestamp'
            when typed.answered_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
        end as quarantine_reason
    from typed
    left join valid_customers
        on typed.customer_id = valid_customers.customer_id

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'response_id', 'answered_at desc'
    ) }}

)

select * from classified
