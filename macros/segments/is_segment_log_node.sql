{#- True in the one node of this dbt invocation that logs the scheme
    configuration. Every model that compiles the schemes (a model that calls
    compiled_segment_schemes) would otherwise repeat the same log line: of
    those among the selected resources, the one with the fewest parents
    (segment_definitions in a full build, which runs early and is skipped
    only when its parents fail) logs, ties broken by unique_id. Outside a
    model (run-operation, unit tests with an empty graph) it logs. -#}
{% macro is_segment_log_node() -%}
    {%- set nodes = (graph.get('nodes') or {}).values() if execute else [] -%}
    {%- set selected = selected_resources if selected_resources is defined else [] -%}
    {%- set candidates = [] -%}
    {%- for node in nodes
        if node.resource_type == 'model'
        and 'macro.audience_segments.compiled_segment_schemes' in (node.depends_on.macros or [])
        and node.unique_id in selected -%}
        {%- do candidates.append(((node.depends_on.nodes or []) | length, node.unique_id)) -%}
    {%- endfor -%}
    {%- if candidates | length == 0 or model is not defined or model is none -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(model.get('unique_id') == (candidates | sort | first)[1]) }}
{%- endmacro %}
