using System.Net;
using System.Net.Sockets;

namespace Personalization.Silo.Hosting;

/// <summary>Asks the OS for an unused loopback TCP port, so that several hosts on one machine never collide.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
