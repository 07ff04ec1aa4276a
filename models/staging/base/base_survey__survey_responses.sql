{{ config(enabled=audience_segments.using_source('survey_responses')) }}

{%- set raw_columns = ['answered_at'] %}

with

source as (

    {{ audience_segments.unerased_source('survey_responses') }}

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

    {{ audience_segments.typed_source('survey_responses', 'source', raw=raw_columns) }}

),

checked as (

    select
        typed.*,
        case
            when typed.response_id is null then 'missing_key'
            when valid_customers.customer_id is null then 'orphan_customer'
            when {{ audience_segments.clean_text('typed._raw__answered_at') }} is null then 'missing_timestamp'
            when typed.answered_at is null then 'unparseable_timestamp'
            when typed.answered_at > {{ audience_segments.max_valid_timestamp() }}
                then 'future_timestamp'
        end as quarantine_reason
    from typed
    left join valid_customers
        on typed.customer_id = valid_customers.customer_id

),

validated as (

    select
        {{ audience_segments.staged_column_names('survey_responses') | join(',\n        ') }},
        _row_hash,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'response_id',
            'orphan_customer': 'customer_id',
            'missing_timestamp': 'answered_at',
            'unparseable_timestamp': 'answered_at',
            'future_timestamp': 'answered_at',
        }, raw=raw_columns) }}
    from checked

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'response_id', 'answered_at desc'
    ) }}

)

select * from classified
