{#- The shipped schemes of the preset named by audience_segments_scheme_preset
    (default `all`), in the preset's order. An unknown preset fails at compile
    time naming the var and the known presets. -#}
{% macro preset_segment_schemes() -%}
    {%- set preset = var('audience_segments_scheme_preset', 'all') -%}
    {%- set presets = audience_segments.segment_scheme_presets() -%}
    {%- if preset is not string or preset not in presets -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "audience_segments_scheme_preset: unknown preset '" ~ preset ~ "'; known presets: "
            ~ presets.keys() | sort | join(', ')) }}
    {%- endif -%}
    {%- set shipped = {} -%}
    {%- for scheme in audience_segments.default_segment_schemes() + audience_segments.shipped_scheme_variants() -%}
        {%- do shipped.update({scheme.name: scheme}) -%}
    {%- endfor -%}
    {%- set schemes = [] -%}
    {%- for name in presets[preset] -%}
        {%- if name not in shipped -%}
            {{ exceptions.raise_compiler_error(
                "segment_scheme_presets: preset '" ~ preset ~ "' names scheme '" ~ name
                ~ "', which is not shipped; shipped: " ~ shipped.keys() | sort | join(', ')) }}
        {%- endif -%}
        {%- do schemes.append(shipped[name]) -%}
    {%- endfor -%}
    {{ return(schemes) }}
{%- endmacro %}
