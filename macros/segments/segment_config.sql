{#- Where schemes come from.

    audience_segments_scheme_preset  which shipped schemes to start from
                                     (segment_scheme_presets.sql; default
                                     `all`, the ten default schemes);
    audience_segments_schemes        replaces the shipped schemes entirely,
                                     whatever the preset;
    audience_segments_extra_schemes  is appended to them (or to the
                                     replacement);
    audience_segments_disabled_schemes  names schemes to leave out.

    All are ordinary dbt vars, so a consuming project sets them in its own
    dbt_project.yml without editing package files. Shipped schemes whose
    rules read a field that no switched-on source feeds are left out with a
    log line (source_available_schemes); user schemes (the replacement and
    the extras) are kept, and such a field fails their compilation. -#}
{% macro segment_schemes(disabled_fields=none) -%}
    {%- set disabled_fields = audience_segments.disabled_source_fields() if disabled_fields is none else disabled_fields -%}
    {%- set disabled = var('audience_segments_disabled_schemes', []) -%}
    {%- set preset_schemes = audience_segments.preset_segment_schemes() -%}
    {%- set base = var('audience_segments_schemes', none) -%}
    {%- if base is none -%}
        {%- set shipped = [] -%}
        {%- for scheme in preset_schemes if scheme.get('name') not in disabled -%}
            {%- do shipped.append(scheme) -%}
        {%- endfor -%}
        {%- set base = audience_segments.source_available_schemes(shipped, disabled_fields) -%}
    {%- endif -%}
    {%- set schemes = [] -%}
    {%- for scheme in base + var('audience_segments_extra_schemes', []) -%}
        {%- if scheme.get('name') not in disabled -%}
            {%- do schemes.append(scheme) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(schemes) }}
{%- endmacro %}


{#- The validated, compiled schemes: every segment carries its SQL predicate
    and the fields it reads. Raises a compiler error naming scheme, segment
    and field on any configuration mistake. Column checks need the manifest,
    so they run when dbt executes (compile, run, build), not while it parses.
    Rules read customer_360 and, when audience_segments_customer_features_model
    names a model, its columns (customer_feature_columns); fields that no
    switched-on source feeds are refused (disabled_source_fields). -#}
{% macro compiled_segment_schemes() -%}
    {%- do audience_segments.check_command_line_vars() -%}
    {%- set disabled_fields = audience_segments.disabled_source_fields() -%}
    {%- set columns = audience_segments.customer_360_columns() -%}
    {%- set feature_columns = audience_segments.customer_feature_columns(columns) -%}
    {%- set context = {
        'disabled_fields': disabled_fields,
        'feature_columns': feature_columns,
        'features_model': var('audience_segments_customer_features_model', none),
    } -%}
    {%- if columns and feature_columns -%}
        {%- set columns = dict(columns, **feature_columns) -%}
    {%- endif -%}
    {{ return(audience_segments.validate_schemes(audience_segments.segment_schemes(disabled_fields), columns, context)) }}
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
