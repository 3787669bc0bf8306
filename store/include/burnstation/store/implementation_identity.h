// Who we are on the network and in File Meta: one Implementation Class UID (a 2.25 UUID
// root of our own) and one Version Name, used everywhere.
#pragma once

namespace burnstation {

inline constexpr const char* kImplementationClassUid =
    "2.25.208255112697107640800492106849300800605";
// At most 16 characters (SH).
inline constexpr const char* kImplementationVersionName = "BURNSTATION_010";
// Prefix for UIDs the station creates (file-set UIDs, transcoded objects).
inline constexpr const char* kUidRoot = "2.25.208255112697107640800492106849300800605.1";

}  // namespace burnstation
