{#- The relation a base model reads. Normally the declared source; with
    audience_segments_external_root set (a folder written by
    `scripts/generate_data.py --format parquet`) the Parquet files under
    <root>/<identifier>/ are read in place, so switching from seeds to files
    is one var, not a code change. source() is always called so lineage and
    source freshness stay intact. -#}
{% macro raw_source(source_name, table_name) -%}
    {{ return(adapter.dispatch('raw_source', 'audience_segments')(source_name, table_name)) }}
{%- endmacro %}

{% macro default__raw_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if var('audience_segments_external_root', none) -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_external_root (reading Parquet files in place) is only '
            ~ 'implemented for DuckDB; load the files into tables and point the '
            ~ 'source vars at them instead.'
        ) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- DuckDB reads Parquet directly; the identifier names the sub-folder. -#}
{% macro duckdb__raw_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set root = var('audience_segments_external_root', none) -%}
    {%- if root -%}
        {{ return("read_parquet('" ~ root ~ "/" ~ relation.identifier ~ "/*.parquet')") }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
