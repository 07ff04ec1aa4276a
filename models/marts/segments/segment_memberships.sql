{%- set schemes = audience_segments.compiled_segment_schemes() -%}
{#- The fallback is a membership exactly when nothing else matched, so every
    primary segment is also a membership. -#}
{%- set member_arms = [] -%}
{%- for scheme in schemes -%}
    {%- for segment in scheme.segments -%}
        {%- set flag = 'matches.count_matches__' ~ scheme.name ~ ' = 0' if segment.is_fallback
            else 'matches.is_match__' ~ scheme.name ~ '__' ~ segment.name -%}
        {%- do member_arms.append('when ' ~ segment.ordinal ~ ' then ' ~ flag) -%}
    {%- endfor -%}
{%- endfor %}

with

matches as (

    select * from {{ ref('int_segment_matches') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}

),

candidates as (

    {#- Customers x segments in one pass over the wide match table. -#}
    select
        matches.customer_id,
        definitions.segment_id,
        definitions.scheme_name,
        definitions.segment_name,
        definitions.segment_priority,
        definitions.scheme_version,
        matches.as_of_date,
        case definitions.segment_ordinal {{ member_arms | join(' ') }} end as is_member,
        case definitions.scheme_ordinal
            {%- for scheme in schemes %}
                when {{ scheme.ordinal }} then matches.primary__{{ scheme.name }}
            {%- endfor %}
        end = definitions.segment_name as is_primary
    from matches
    cross join definitions

),

final as (

    select
        {{ audience_segments.surrogate_key(['customer_id', 'scheme_name', 'segment_name']) }}
            as segment_membership_id,
        customer_id,
        segment_id,
        scheme_name,
        segment_name,
        segment_priority,
        is_primary,
        scheme_version,
        as_of_date
    from candidates
    where is_member

)

select * from final
