{#- The relation a base model reads, chosen by configuration alone:

    1. audience_segments_external_root set (a folder written by
       `scripts/generate_data.py --format parquet`): the Parquet files under
       <root>/<identifier>/ are read in place (DuckDB only);
    2. audience_segments_use_demo_seeds true (the default when the project
       runs standalone): the package's demo seeds, through ref() so that
       `dbt build` loads them before the models that read them;
    3. otherwise the declared source, which the source vars point at your
       own tables. -#}
{% macro raw_source(source_name, table_name) -%}
    {{ return(adapter.dispatch('raw_source', 'audience_segments')(source_name, table_name)) }}
{%- endmacro %}

{% macro default__raw_source(source_name, table_name) -%}
    {%- if var('audience_segments_external_root', none) -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_external_root (reading Parquet files in place) is only '
            ~ 'implemented for DuckDB; load the files into tables and point the '
            ~ 'source vars at them instead.'
        ) }}
    {%- elif var('audience_segments_use_demo_seeds', true) -%}
        {{ return(ref('raw_' ~ table_name)) }}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}

{#- DuckDB reads Parquet in place; the source identifier names the folder. -#}
{% macro duckdb__raw_source(source_name, table_name) -%}
    {%- set root = var('audience_segments_external_root', none) -%}
    {%- if root -%}
        {%- set identifier = source(source_name, table_name).identifier -%}
        {{ return("read_parquet('" ~ root ~ "/" ~ identifier ~ "/*.parquet')") }}
    {%- endif -%}
    {{ return(audience_segments.default__raw_source(source_name, table_name)) }}
{%- endmacro %}
