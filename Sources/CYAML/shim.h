// libyaml: the YAML 1.1 parser Yams wraps, used directly so that neither binary needs Foundation's full
// framework (and ICU) to read a config file (issue 19).
#include <yaml.h>
