// The spec of a settings key lives in the engine, shared with the hosting package; the command's sections use it too.
global using Oms.Engine.Settings;
