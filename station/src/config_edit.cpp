// Kiosk changes to the configuration (config_edit.h): JSON -> the file's TOML -> loadConfig.
#include "burnstation/station/config_edit.h"

#include <fcntl.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace burnstation::station {

namespace fs = std::filesystem;
using Code = ConfigEditError::Code;

namespace {

struct ListShape {
  const char* array;  // the TOML array of tables
  const char* key;    // the setting an entry is known by
  const char* what;   // for messages
};

ListShape shapeOf(ConfigList list) {
  switch (list) {
    case ConfigList::Profiles:
      return {"profile", "name", "profile"};
    case ConfigList::AutoBurn:
      return {"auto_burn", "called_ae_title", "auto-burn rule"};
    case ConfigList::Drives:
      return {"drive", "name", "drive"};
    case ConfigList::Remotes:
      return {"remote", "ae_title", "remote"};
  }
  return {"profile", "name", "profile"};
}

// One JSON value as the file would hold it; nested tables are not settings of an entry.
void putValue(toml::table& table, const std::string& key, const nlohmann::json& value) {
  auto scalar = [&](const nlohmann::json& v, toml::array* into) {
    auto add = [&](auto x) {
      if (into) {
        into->push_back(x);
      } else {
        table.insert_or_assign(key, x);
      }
    };
    if (v.is_string()) {
      add(v.get<std::string>());
    } else if (v.is_boolean()) {
      add(v.get<bool>());
    } else if (v.is_number_unsigned()) {
      const auto n = v.get<std::uint64_t>();
      if (n > static_cast<std::uint64_t>(INT64_MAX)) {
        throw ConfigEditError(Code::Invalid, key + " is too large");
      }
      add(static_cast<std::int64_t>(n));
    } else if (v.is_number_integer()) {
      add(v.get<std::int64_t>());
    } else if (v.is_number_float()) {
      add(v.get<double>());
    } else {
      throw ConfigEditError(Code::Invalid,
                            key + " must be a string, a number, true/false or a list of those");
    }
  };
  if (value.is_null()) {
    table.erase(key);  // back to the default
  } else if (value.is_array()) {
    toml::array list;
    for (const auto& item : value) scalar(item, &list);
    table.insert_or_assign(key, std::move(list));
  } else {
    scalar(value, nullptr);
  }
}

void requireObject(const nlohmann::json& body, const std::string& what) {
  if (!body.is_object()) throw ConfigEditError(Code::Invalid, what + " must be a JSON object");
  if (body.size() > 64) throw ConfigEditError(Code::Invalid, what + " has too many settings");
}

toml::table currentToml(const StationConfig& current) {
  return toml::parse(configText(current));
}

// A private scratch file for loadConfig, removed on every path.
class CheckFile {
 public:
  CheckFile() {
    std::string pattern = (fs::temp_directory_path() / "burnstation-config-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw ConfigEditError(Code::Refused, "cannot check the change: no scratch file");
    ::close(fd);
    path_ = pattern;
  }
  ~CheckFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  CheckFile(const CheckFile&) = delete;
  CheckFile& operator=(const CheckFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The configuration the edited TOML makes, read by the file's own reader.
StationConfig validated(const StationConfig& current, const toml::table& root,
                        const std::string& context) {
  CheckFile check;
  {
    std::ofstream out(check.path(), std::ios::binary | std::ios::trunc);
    out << root << "\n";
    if (!out.flush()) throw ConfigEditError(Code::Refused, "cannot check the change");
  }
  try {
    StationConfig next = loadConfig(check.path());
    next.source = current.source;
    next.dataDir = current.dataDir;
    return next;
  } catch (const ConfigError& e) {
    throw ConfigEditError(Code::Refused, context + e.reason());
  }
}

toml::array& listIn(toml::table& root, const ListShape& shape) {
  if (!root.contains(shape.array)) root.insert(shape.array, toml::array{});
  toml::array* list = root[shape.array].as_array();
  if (!list) throw ConfigEditError(Code::Refused, std::string(shape.array) + " is not a list");
  return *list;
}

bool hasKey(const toml::node& entry, const ListShape& shape, const std::string& key) {
  const toml::table* t = entry.as_table();
  return t && (*t)[shape.key].value<std::string>() == key;
}

}  // namespace

StationConfig withEntry(const StationConfig& current, ConfigList list, const std::string& key,
                        const nlohmann::json& entry) {
  const ListShape shape = shapeOf(list);
  const std::string what = std::string(shape.what) + " \"" + key + "\"";
  requireObject(entry, "the " + what);
  if (key.empty() || key.size() > 64) {
    throw ConfigEditError(Code::Invalid,
                          std::string("a ") + shape.what + " needs a name of 1 to 64 characters");
  }
  toml::table replacement;
  for (const auto& [name, value] : entry.items()) {
    if (name == shape.key && !(value.is_string() && value.get<std::string>() == key)) {
      throw ConfigEditError(Code::Invalid, std::string(shape.key) + " in the body must be \"" +
                                               key + "\", as in the path");
    }
    putValue(replacement, name, value);
  }
  replacement.insert_or_assign(shape.key, key);

  toml::table root = currentToml(current);
  toml::array& entries = listIn(root, shape);
  bool replaced = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (hasKey(entries[i], shape, key)) {
      entries.replace(entries.begin() + static_cast<long>(i), replacement);
      replaced = true;
    }
  }
  if (!replaced) entries.push_back(std::move(replacement));
  return validated(current, root, what + ": ");
}

StationConfig withoutEntry(const StationConfig& current, ConfigList list, const std::string& key) {
  const ListShape shape = shapeOf(list);
  const std::string what = std::string(shape.what) + " \"" + key + "\"";
  if (list == ConfigList::Profiles) {
    for (const auto& builtIn : builtInConfig().profiles) {
      if (builtIn.name == key) {
        throw ConfigEditError(Code::BuiltIn,
                              "the built-in " + what + " cannot be removed; it can be changed");
      }
    }
  }
  toml::table root = currentToml(current);
  toml::array& entries = listIn(root, shape);
  const auto before = entries.size();
  for (std::size_t i = entries.size(); i-- > 0;) {
    if (hasKey(entries[i], shape, key)) entries.erase(entries.begin() + static_cast<long>(i));
  }
  if (entries.size() == before) throw ConfigEditError(Code::NotFound, "there is no " + what);
  // The file's reader wants [[tables]]: an empty list is written by leaving it out.
  if (entries.empty()) root.erase(shape.array);
  return validated(current, root, "without the " + what + ": ");
}

StationConfig withSettings(const StationConfig& current, ConfigSection section,
                           const nlohmann::json& settings) {
  const char* name = section == ConfigSection::Station ? "station"
                     : section == ConfigSection::Usb   ? "usb"
                                                       : "admin";
  requireObject(settings, std::string("[") + name + "]");
  if (section == ConfigSection::Station && settings.contains("data_dir")) {
    throw ConfigEditError(Code::Refused,
                          "the data directory can only be changed in the configuration file, "
                          "with the service stopped");
  }
  toml::table root = currentToml(current);
  if (!root.contains(name)) root.insert(name, toml::table{});
  toml::table* table = root[name].as_table();
  for (const auto& [key, value] : settings.items()) putValue(*table, key, value);
  return validated(current, root, std::string("[") + name + "]: ");
}

nlohmann::json configDocument(const StationConfig& config) {
  std::ostringstream json;
  json << toml::json_formatter{currentToml(config)};
  nlohmann::json document = nlohmann::json::parse(json.str());
  for (const auto& [from, to] :
       {std::pair{"profile", "profiles"}, std::pair{"drive", "drives"},
        std::pair{"remote", "remotes"}, std::pair{"auto_burn", "auto_burn"}}) {
    nlohmann::json list = document.contains(from) ? document[from] : nlohmann::json::array();
    document.erase(from);
    document[to] = std::move(list);
  }
  document["source"] = config.source ? config.source->string() : "built-in defaults";
  document["saved_to"] = serviceConfigPath(config.dataDir).string();
  return document;
}

}  // namespace burnstation::station
