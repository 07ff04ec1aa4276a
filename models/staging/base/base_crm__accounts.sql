{{ config(enabled=audience_segments.using_source('accounts')) }}

{%- set raw_columns = ['employee_count', 'annual_revenue'] %}

with

source as (

    select * from {{ audience_segments.source_relation('accounts') }}

),

typed as (

    {{ audience_segments.typed_source('accounts', 'source', raw=raw_columns) }}

),

checked as (

    select
        *,
        case
            when account_id is null then 'missing_key'
            when {{ audience_segments.clean_text('_raw__employee_count') }} is not null and employee_count is null
                then 'unparseable_number'
            when employee_count < 0 or annual_revenue < 0
                then 'negative_firmographics'
        end as quarantine_reason
    from typed

),

validated as (

    select
        {{ audience_segments.staged_column_names('accounts') | join(',\n        ') }},
        _row_hash,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'account_id',
            'unparseable_number': 'employee_count',
            'negative_firmographics': 'employee_count',
        }, raw=raw_columns) }}
    from checked

),

classified as (

    {{ audience_segments.row_disposition(
        'validated', 'account_id', 'updated_at desc nulls last'
    ) }}

)

select * from classified
