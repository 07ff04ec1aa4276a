{#- One pass over customer_360 evaluates every segment of every scheme:
    a flag per (scheme, segment), then the first match in priority order per
    scheme. Cost is one scan whatever the number of segments. When
    audience_segments_customer_features_model names a model, its columns
    (int_segment_customer_features, unique on customer_id) are left-joined
    first, so rules read them like customer_360 columns. -#}
{%- set schemes = audience_segments.compiled_segment_schemes() -%}
{%- set has_features = audience_segments.customer_features_model() is not none -%}
{%- set feature_columns = audience_segments.customer_feature_columns(audience_segments.customer_360_columns()) -%}
{%- set flag_columns = [] -%}
{%- set assignment_columns = [] -%}
{%- for scheme in schemes -%}
    {%- set ruled = scheme.segments | rejectattr('is_fallback') | list -%}
    {%- set fallback = scheme.segments[-1] -%}
    {%- for segment in ruled -%}
        {%- set flag = 'is_match__' ~ scheme.name ~ '__' ~ segment.name -%}
        {%- do flag_columns.append('coalesce(' ~ segment.predicate ~ ', false) as ' ~ flag) -%}
    {%- endfor -%}
    {%- set primary_arms = [] -%}
    {%- set priority_arms = [] -%}
    {%- set count_terms = [] -%}
    {%- for segment in ruled -%}
        {%- set flag = 'is_match__' ~ scheme.name ~ '__' ~ segment.name -%}
        {%- do primary_arms.append('when ' ~ flag ~ " then '" ~ segment.name ~ "'") -%}
        {%- do priority_arms.append('when ' ~ flag ~ ' then ' ~ segment.priority) -%}
        {%- do count_terms.append('case when ' ~ flag ~ ' then 1 else 0 end') -%}
        {%- do assignment_columns.append(flag) -%}
    {%- endfor -%}
    {%- do assignment_columns.append(
        'case ' ~ primary_arms | join(' ') ~ " else '" ~ fallback.name
        ~ "' end as primary__" ~ scheme.name) -%}
    {%- do assignment_columns.append(
        'case ' ~ priority_arms | join(' ') ~ ' else ' ~ fallback.priority
        ~ ' end as priority__' ~ scheme.name) -%}
    {%- do assignment_columns.append(
        count_terms | join(' + ') ~ ' as count_matches__' ~ scheme.name) -%}
{%- endfor %}

with

customers as (

    select * from {{ ref('customer_360') }}

),
{%- if has_features %}

    customer_features as (

        select * from {{ ref('int_segment_customer_features') }}

    ),

    segment_inputs as (

        select
            customers.*
            {%- for column in feature_columns | sort %},
            customer_features.{{ column }}
            {%- endfor %}
        from customers
        left join customer_features
            on customers.customer_id = cast(customer_features.customer_id as {{ dbt.type_string() }})

    ),
{%- else %}

    segment_inputs as (

        select * from customers

    ),
{%- endif %}

flags as (

    select
        customer_id,
        as_of_date,
        {{ flag_columns | join(',\n        ') }}
    from segment_inputs

),

final as (

    select
        customer_id,
        as_of_date,
        {{ assignment_columns | join(',\n        ') }}
    from flags

)

select * from final
