{#- Where schemes come from.

    audience_segments_schemes        replaces the shipped defaults entirely;
    audience_segments_extra_schemes  is appended to them (or to the
                                     replacement);
    audience_segments_disabled_schemes  names schemes to leave out.

    All three are ordinary dbt vars, so a consuming project sets them in its
    own dbt_project.yml without editing package files. -#}
{% macro segment_schemes() -%}
    {%- set base = var('audience_segments_schemes', none) -%}
    {%- if base is none -%}
        {%- set base = audience_segments.default_segment_schemes() -%}
    {%- endif -%}
    {%- set disabled = var('audience_segments_disabled_schemes', []) -%}
    {%- set schemes = [] -%}
    {%- for scheme in base + var('audience_segments_extra_schemes', []) -%}
        {%- if scheme.get('name') not in disabled -%}
            {%- do schemes.append(scheme) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(schemes) }}
{%- endmacro %}


{#- The validated, compiled schemes: every segment carries its SQL predicate
    and the customer_360 fields it reads. Raises a compiler error naming
    scheme, segment and field on any configuration mistake. Column checks
    need the manifest, so they run when dbt executes (compile, run, build),
    not while it parses. -#}
{% macro compiled_segment_schemes() -%}
    {%- set columns = audience_segments.customer_360_columns() -%}
    {{ return(audience_segments.validate_schemes(audience_segments.segment_schemes(), columns)) }}
{%- endmacro %}


{#- Column name -> data type of customer_360, read from its enforced model
    contract, so rule fields are checked without querying the warehouse. -#}
{% macro customer_360_columns() -%}
    {%- set columns = {} -%}
    {%- if execute -%}
        {#- Unit tests render models with an empty graph: columns stay
            unknown there and only structural checks apply. -#}
        {%- for node in (graph.get('nodes') or {}).values()
            if node.resource_type == 'model' and node.name == 'customer_360' -%}
            {%- for name, column in node.columns.items() -%}
                {%- do columns.update({name | lower: (column.data_type or '') | lower}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
