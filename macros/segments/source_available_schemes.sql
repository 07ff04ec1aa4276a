{#- The shipped schemes whose rules read only fields that a switched-on
    source feeds (disabled_fields: audience_segments.disabled_source_fields(),
    {field: [switched-off sources]}). Every scheme left out is logged once
    per dbt invocation, at execute time, naming the scheme, the fields and
    the switched-off sources. Only shipped schemes are filtered: a user
    scheme that reads such a field fails at compile time instead
    (segment_field_type). -#}
{% macro source_available_schemes(schemes, disabled_fields) -%}
    {%- set kept = [] -%}
    {%- set log_here = execute and audience_segments.is_segment_log_node() -%}
    {%- for scheme in schemes -%}
        {%- set where = {'scheme': scheme.get('name'), 'segment': none, 'columns': {}} -%}
        {%- set missing = [] -%}
        {%- for segment in scheme.get('segments') or [] -%}
            {%- for field in audience_segments.condition_fields(segment.get('rule'), where)
                if field in disabled_fields and field not in missing -%}
                {%- do missing.append(field) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- if log_here -%}
                {#- One part per set of switched-off sources, in field order. -#}
                {%- set groups = {} -%}
                {%- set order = [] -%}
                {%- for field in missing -%}
                    {%- set key = disabled_fields[field] | join(', ') -%}
                    {%- if key not in groups -%}
                        {%- do groups.update({key: []}) -%}
                        {%- do order.append(key) -%}
                    {%- endif -%}
                    {%- do groups[key].append(field) -%}
                {%- endfor -%}
                {%- set parts = [] -%}
                {%- for key in order -%}
                    {%- set sources = key.split(', ') -%}
                    {%- set switches = [] -%}
                    {%- for source in sources -%}
                        {%- do switches.append('audience_segments_using_' ~ source ~ ': false') -%}
                    {%- endfor -%}
                    {%- do parts.append(
                        ('fields ' if groups[key] | length > 1 else 'field ') ~ groups[key] | join(', ')
                        ~ (' from the switched-off sources ' if sources | length > 1 else ' from the switched-off source ')
                        ~ key ~ ' (' ~ switches | join(', ') ~ ')') -%}
                {%- endfor -%}
                {{ log("audience_segments: shipped scheme '" ~ scheme.name ~ "' left out: its rules read "
                    ~ parts | join('; '), info=true) }}
            {%- endif -%}
        {%- else -%}
            {%- do kept.append(scheme) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kept) }}
{%- endmacro %}
