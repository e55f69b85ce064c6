package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.DbApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.PackageApi;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.cli.notification.NotificationCommand;
import dev.hearth.cli.server.ServerCommand;
import dev.hearth.cli.service.PackageCommand;
import org.junit.jupiter.api.Test;

/**
 * The commands on a script's path call their methods by name, without touching the API classes
 * (whose method declarations resolve every result type with Jackson): the names are the declared
 * ones.
 */
class CallsByNameTest {
  @Test
  void eachNameIsTheDeclaredMethods() {
    assertThat(EchoCommand.METHOD).isEqualTo(RootApi.ECHO.name());
    assertThat(ServerCommand.Time.METHOD).isEqualTo(ServerApi.TIME.name());
    assertThat(NotificationCommand.ListNotifications.METHOD).isEqualTo(NotificationApi.LIST.name());
    assertThat(PackageCommand.ListPackages.METHOD).isEqualTo(PackageApi.LIST.name());
    assertThat(PackageCommand.ListPackages.DUMP).isEqualTo(DbApi.DUMP.name());
  }
}
