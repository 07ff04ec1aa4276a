{#- The catalog is generated from the same compiled configuration that
    assigns customers, so it cannot drift from the rules. fields_used lists
    the customer_360 columns and the columns of the consumer's features
    model (audience_segments_customer_features_model) each rule reads. -#}
{%- set schemes = audience_segments.compiled_segment_schemes() -%}

with

definitions as (

    {% for scheme in schemes -%}
        {%- for segment in scheme.segments -%}
            select
                {{ audience_segments.sql_string(scheme.name) }} as scheme_name,
                {{ audience_segments.sql_string(segment.name) }} as segment_name,
                {{ audience_segments.sql_string(scheme.description) }} as scheme_description,
                {{ audience_segments.sql_string(scheme.owner) }} as scheme_owner,
                {{ audience_segments.sql_string(scheme.version) }} as scheme_version,
                {{ audience_segments.sql_string(segment.description) }} as segment_description,
                {{ audience_segments.sql_string(segment.criteria) }} as inclusion_criteria,
                {{ audience_segments.sql_string(segment.fields_used | join(', ')) }} as fields_used,
                {{ audience_segments.sql_string(segment.predicate) }} as compiled_predicate,
                {{ segment.priority }} as segment_priority,
                {{ scheme.ordinal }} as scheme_ordinal,
                {{ segment.ordinal }} as segment_ordinal,
                {{ scheme.segments | length }} as scheme_segment_count,
                {{ scheme.min_segment_size }} as min_segment_size,
                cast({{ scheme.min_segment_share }} as {{ dbt.type_numeric() }}) as min_segment_share,
                cast({{ scheme.max_segment_share }} as {{ dbt.type_numeric() }}) as max_segment_share,
                {{ 'true' if segment.is_fallback else 'false' }} as is_fallback
            {% if not loop.last %}union all
            {% endif -%}
        {%- endfor %}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select
        {{ audience_segments.surrogate_key(['scheme_name', 'segment_name']) }}
            as segment_id,
        *
    from definitions

)

select * from final
