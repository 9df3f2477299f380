# The native backend's addon (docs/NATIVE.md). scripts/build-native.mjs runs node-gyp on it;
# every native/src/*.cc file is compiled (the glob below), so kernels added there need no
# change here. -ffp-contract=off and -fno-fast-math: the fused kernel must round every
# instruction exactly as the separate kernels do (no FMA contraction, IEEE semantics).
# -fno-math-errno: sqrt then vectorizes (with errno kept, GCC emits a scalar sqrt and a branch
# per element); only errno changes, never a result (sqrt of a negative is NaN either way).
{
  "targets": [
    {
      "target_name": "hebb_native",
      "sources": ["<!@(node -p \"require('fs').readdirSync('native/src').filter(f=>f.endsWith('.cc')).map(f=>'native/src/'+f).join(' ')\")"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-O2"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fno-math-errno", "-fPIC", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [["OS=='linux'", {"libraries": ["-ldl"]}]],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off", "-fno-fast-math"]
      }
    }
  ]
}
